/**
 * A shared workstation changes hands: on lock, sign-out or a different user, nothing the
 * previous person saw may survive. Every store registers its reset here.
 */
import { notifications } from '@mantine/notifications';
import type { QueryClient } from '@tanstack/react-query';
import { resetMergeStore } from './merge-store';
import { resetNavStore } from './nav-store';
import { resetReceptionStore } from './reception-store';

const RESETS: readonly (() => void)[] = [resetNavStore, resetReceptionStore, resetMergeStore];

/**
 * Drops every UI store and every cached answer except who is signed in and whether this
 * workstation is enrolled (nobody's data; the session gate waits on it, and a removed query it
 * observes would leave the gate loading forever after "Sign out").
 */
export function forgetPreviousUser(queryClient: QueryClient): void {
  for (const reset of RESETS) reset();
  // A toast like "Vitals saved: heart rate high" names the previous person's patient.
  notifications.clean();
  const previous = {
    predicate: (query: { queryKey: readonly unknown[] }) => !isSessionQuery(query.queryKey),
  };
  void queryClient.cancelQueries(previous);
  // Emptied before they are removed: a query removed while its screen is still mounted is
  // otherwise kept alive, data and all, by the garbage-collection timer its last observer
  // schedules on unmount (found by test/e2e/lock-canary.test.ts, a heap snapshot after lock).
  for (const query of queryClient.getQueryCache().findAll(previous)) query.reset();
  queryClient.removeQueries(previous);
  queryClient.getMutationCache().clear();
}

/**
 * Who is signed in and whether the workstation is enrolled: not the previous person's data, and
 * the session gate waits on both, so emptying them would remount the sign-in form mid-typing.
 */
function isSessionQuery(key: readonly unknown[]): boolean {
  const path = key[0];
  if (!Array.isArray(path)) return false;
  return (
    (path[0] === 'auth' && path[1] === 'session') || (path[0] === 'setup' && path[1] === 'status')
  );
}

/**
 * The renderer's one tRPC client. The link is the only thing that differs between hosts: in the
 * browser harness the app router is served over HTTP on the page's own origin; in Electron the
 * preload bridge carries the same calls over IPC (see ipc-link.ts).
 */
import { createTRPCClient, httpBatchLink, TRPCClientError, type TRPCLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../../main/api/router';
import { isWardErrorCode, type WardErrorCode } from '../../shared/ward-error-codes';
import { createIpcLink } from './ipc-link';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

function chooseLink(): TRPCLink<AppRouter> {
  const ipc = createIpcLink();
  if (ipc) return ipc;
  return httpBatchLink({ url: `${window.location.origin}/trpc` });
}

export function createWardlineClient() {
  return createTRPCClient<AppRouter>({ links: [chooseLink()] });
}

/** The sentence to show a person for a failed call: the main process already wrote it for them. */
export function describeFailure(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong. Please try again.';
}

/**
 * The program-readable code of a failed call (`data.appCode` from main/api/trpc.ts), one of the
 * shared list, so screens switch on a type rather than on strings; null when there is none.
 */
export function failureCode(error: unknown): WardErrorCode | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  if (typeof data !== 'object' || data === null || !('appCode' in data)) return null;
  return isWardErrorCode(data.appCode) ? data.appCode : null;
}

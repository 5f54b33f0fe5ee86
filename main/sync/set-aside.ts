/**
 * A change the server cannot take (issue 14, "No poison batch"). The server refuses a push as a
 * whole (413 too large, 400 unreadable, or a 5xx from a failure it has no answer for); resent
 * unchanged, that batch would hold every later change on this workstation back forever. The push
 * bisects the batch in device order until the one mutation the server cannot take is alone, and
 * sets that one aside here: marked refused, with a sentence, for a person to look at
 * (listNeedsAttention). Everything after it then flows.
 *
 * A change is never skipped and left pending: the server refuses a device sequence number below
 * one it has taken, so a skipped change could never be sent afterwards. It is either sent in
 * order, or set aside where a person sees it.
 */
import { eq } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { outbox } from '../../db/local/schema';
import type { OutboxRow } from './outbox-mutation';
import { TransportError, type SyncTransport } from './transport';

/** How the server refused a whole push; null for a failure that says nothing about its content. */
export type BatchRefusal = 'too_large' | 'unreadable' | 'server_failed';

/**
 * A 5xx can be a passing fault (a database restarting) as well as a change the server chokes on:
 * a change alone is set aside only after this many syncs in a row failed on it.
 */
export const SERVER_FAILURES_BEFORE_SET_ASIDE = 3;

export function batchRefusal(error: unknown): BatchRefusal | null {
  if (!(error instanceof TransportError)) return null;
  if (error.status === 413) return 'too_large';
  // Only the server's own error answer: a proxy's 400 page says nothing about the changes.
  if (error.status === 400 && error.code !== null) return 'unreadable';
  if (error.kind === 'server_error') return 'server_failed';
  return null;
}

/**
 * Sets `row` aside if the refusal is its own, or throws to end this push (the change stays
 * pending, in order, for the next sync). An empty push answered normally shows the server takes
 * pushes at all: without that control, a server or proxy refusing everything would have every
 * change on this workstation set aside.
 */
export async function setAsideIfItsOwn(
  db: LocalDb,
  transport: SyncTransport,
  row: OutboxRow,
  refusal: BatchRefusal,
  error: TransportError,
  deviceTime: string,
): Promise<void> {
  await transport.push({ mutations: [], deviceTime });
  const attempts = row.attempts + 1;
  if (refusal === 'server_failed' && attempts < SERVER_FAILURES_BEFORE_SET_ASIDE) {
    db.update(outbox)
      .set({ attempts, lastError: error.message })
      .where(eq(outbox.mutationId, row.mutationId))
      .run();
    throw error;
  }
  db.update(outbox)
    .set({
      status: 'rejected',
      reasonCode: refusal,
      reasonMessage: setAsideSentence(refusal, error, attempts),
      attempts,
      lastError: error.message,
    })
    .where(eq(outbox.mutationId, row.mutationId))
    .run();
}

const KEPT =
  'It was set aside so that later changes could be sent; it is kept here and in the audit trail.';

function setAsideSentence(refusal: BatchRefusal, error: TransportError, attempts: number): string {
  switch (refusal) {
    case 'too_large':
      return `This change is too large for the server to take. ${KEPT} Enter it again in smaller parts.`;
    case 'unreadable':
      return `The server cannot read this change (${error.message}). ${KEPT} Ask IT.`;
    case 'server_failed':
      return `The server failed on this change ${attempts} times in a row while it took others (${error.message}). ${KEPT} Ask IT to look at the server's log.`;
  }
}

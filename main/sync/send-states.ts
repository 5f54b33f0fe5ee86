/**
 * Whether rows have reached the server: the outbox says which still wait (`pending`) and which
 * the server refused (`rejected`); a row absent from the answer is on the server.
 */
import { inArray, sql } from 'drizzle-orm';
import { outbox } from '../../db/local/schema';
import type { ReplicaReader } from '../services/replica-reader';

export type SendState = 'pending' | 'rejected';

export function readSendStates(
  db: ReplicaReader,
  rowIds: readonly string[],
): Record<string, SendState> {
  if (rowIds.length === 0) return {};
  // `max`: a refused change outranks a pending one of the same row ('rejected' > 'pending').
  const rows = db
    .select({ rowId: outbox.rowId, state: sql<SendState>`max(${outbox.status})` })
    .from(outbox)
    .where(inArray(outbox.rowId, [...rowIds]))
    .groupBy(outbox.rowId)
    .all();
  return Object.fromEntries(rows.map((row) => [row.rowId, row.state]));
}

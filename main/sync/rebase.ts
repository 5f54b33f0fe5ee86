import { and, asc, eq } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { outbox } from '../../db/local/schema';
import type { SyncedTableName } from '../../shared/synced-tables';
import type { ReplicaRows } from './replica-rows';

/** Columns the server owns: a local edit never carries them onto a server row. */
const SERVER_OWNED = new Set([
  'id',
  'hospitalId',
  'version',
  'createdAt',
  'updatedAt',
  'updatedBy',
]);

export function editableFields(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !SERVER_OWNED.has(key)));
}

/**
 * After a server row replaced the local one, puts back what this workstation's people typed and
 * the server has not seen yet, in the order they typed it, so no pending edit is lost.
 */
export function rebasePendingEdits(
  db: Pick<LocalDb, 'select'>,
  rows: ReplicaRows,
  table: SyncedTableName,
  rowId: string,
): void {
  const pending = db
    .select({ data: outbox.data })
    .from(outbox)
    .where(and(eq(outbox.tableName, table), eq(outbox.rowId, rowId), eq(outbox.status, 'pending')))
    .orderBy(asc(outbox.deviceSeq))
    .all();
  for (const { data } of pending) rows.setFields(table, rowId, editableFields(data));
}

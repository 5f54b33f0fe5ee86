/**
 * An outbox row as the mutation it is on the wire (SYNC-PROTOCOL.md "sync/push"). The write path
 * signs exactly this object and push sends exactly this object, so what the author signed and
 * what the server checks cannot drift apart.
 */
import type { outbox } from '../../db/local/schema';
import type { Mutation } from '../../shared/protocol';

export type OutboxRow = typeof outbox.$inferSelect;

/** The members the author signs: everything the wire carries except the signature itself. */
export type OutboxFields = Pick<
  OutboxRow,
  | 'mutationId'
  | 'deviceSeq'
  | 'userId'
  | 'tableName'
  | 'op'
  | 'rowId'
  | 'baseVersion'
  | 'data'
  | 'clientTime'
> & { signature?: string | null };

export function outboxMutation(row: OutboxFields): Mutation {
  return {
    mutationId: row.mutationId,
    deviceSeq: row.deviceSeq,
    userId: row.userId,
    table: row.tableName,
    op: row.op,
    id: row.rowId,
    baseVersion: row.baseVersion,
    data: row.data,
    clientTime: row.clientTime,
    ...(row.signature ? { signature: row.signature } : {}),
  };
}

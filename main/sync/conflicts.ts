/**
 * What a person does with what sync could not settle alone: same-field conflicts (both values
 * were kept) and changes the server refused (kept in the outbox as `rejected`).
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { outbox, syncConflicts } from '../../db/local/schema';
import { localSyncedTables } from '../../db/local/synced-tables';
import { IdSchema } from '../../shared/schemas/common';
import { refuse } from '../errors';
import { describeValues } from '../services/audit';
import { writeClinical, type WriteContext } from '../services/write-path';
import { isSyncedTableName } from './replica-rows';

export const ResolveConflictInput = z.object({
  id: IdSchema,
  choice: z.enum(['server', 'local', 'merged']),
  /** With `merged`: the value to keep for each conflicting field. */
  values: z.record(z.string(), z.unknown()).optional(),
  /** With `merged`, instead of values: whose value to keep for each conflicting field. */
  picks: z.record(z.string(), z.enum(['server', 'local'])).optional(),
});
export type ResolveConflictInput = z.infer<typeof ResolveConflictInput>;

export function listOpenConflicts(db: WriteContext['db']) {
  return db
    .select()
    .from(syncConflicts)
    .where(isNull(syncConflicts.resolvedAt))
    .orderBy(asc(syncConflicts.detectedAt))
    .all();
}

/**
 * `server` keeps what the server has (already on screen); `local` writes this workstation's
 * values again; `merged` writes the values the person chose. Either write is a normal edit: it
 * goes through the write path and syncs like any other.
 */
export function resolveConflict(context: WriteContext, input: ResolveConflictInput) {
  const conflict = context.db
    .select()
    .from(syncConflicts)
    .where(eq(syncConflicts.id, input.id))
    .get();
  if (!conflict) refuse('not_found', 'That conflict no longer exists.', 'not_found');
  if (conflict.resolvedAt)
    refuse('already_resolved', 'Someone already resolved this conflict.', 'conflict');
  const fields = Object.keys(conflict.localValues);
  const chosen =
    input.choice === 'server'
      ? null
      : input.choice === 'local'
        ? conflict.localValues
        : pickFields(input.values ?? picked(conflict, input.picks ?? {}), fields);
  const table = conflict.tableName;
  if (!isSyncedTableName(table))
    refuse('unknown_table', `Records of type ${table} cannot be edited here.`, 'invalid');
  return writeClinical(context, (batch) => {
    if (chosen)
      batch.update(localSyncedTables[table], conflict.rowId, chosen, {
        action: 'sync.resolve_conflict',
      });
    else
      batch.audit({
        action: 'sync.resolve_conflict',
        entity: table,
        entityId: conflict.rowId,
        details: { kept: 'server' },
      });
    batch.local
      .update(syncConflicts)
      .set({ resolvedAt: batch.now, resolvedBy: batch.actor.userId, resolution: input.choice })
      .where(eq(syncConflicts.id, conflict.id))
      .run();
    return { id: conflict.id, resolution: input.choice };
  });
}

/**
 * Whether resolving `conflict` as `input` throws away a value another person wrote (issue 15):
 * then the resolver types their password again first. Keeping the server's value discards the
 * local author's; keeping this workstation's discards the server's last writer's; a merge
 * discards whichever side each field does not keep (both, when values are typed).
 */
export function discardsOthersValue(
  db: WriteContext['db'],
  input: ResolveConflictInput,
  personId: string,
): boolean {
  const conflict = db.select().from(syncConflicts).where(eq(syncConflicts.id, input.id)).get();
  if (!conflict) return false;
  const others = (author: string | null) => author !== personId;
  if (input.choice === 'server') return others(conflict.localUserId);
  if (input.choice === 'local') return others(conflict.serverUpdatedBy);
  const sides = input.picks ? new Set(Object.values(input.picks)) : new Set(['server', 'local']);
  return (
    (sides.has('local') && others(conflict.serverUpdatedBy)) ||
    (sides.has('server') && others(conflict.localUserId))
  );
}

/** The values of each side a person picked field by field. */
function picked(
  conflict: { localValues: Record<string, unknown>; serverValues: Record<string, unknown> },
  picks: Record<string, 'server' | 'local'>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(picks).map(([field, side]) => [
      field,
      side === 'server' ? conflict.serverValues[field] : conflict.localValues[field],
    ]),
  );
}

function pickFields(values: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const missing = fields.filter((field) => !(field in values));
  if (missing.length > 0)
    refuse('incomplete_merge', `Choose a value for ${missing.join(', ')}.`, 'invalid');
  return Object.fromEntries(fields.map((field) => [field, values[field]]));
}

export function listNeedsAttention(db: WriteContext['db']) {
  return db
    .select({
      mutationId: outbox.mutationId,
      tableName: outbox.tableName,
      rowId: outbox.rowId,
      op: outbox.op,
      data: outbox.data,
      reasonCode: outbox.reasonCode,
      reasonMessage: outbox.reasonMessage,
      clientTime: outbox.clientTime,
      userId: outbox.userId,
    })
    .from(outbox)
    .where(eq(outbox.status, 'rejected'))
    .orderBy(asc(outbox.deviceSeq))
    .all();
}

/**
 * A person has read why the server refused a change and takes it off the list. The audit trail
 * keeps which fields it carried and a hash of their values (never the values); a row that exists only on this workstation (a refused
 * insert) is withdrawn, since the hospital's record never had it.
 */
export function dismissRejected(context: WriteContext, mutationId: string) {
  return writeClinical(context, (batch) => {
    const item = batch.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.mutationId, mutationId), eq(outbox.status, 'rejected')))
      .get();
    if (!item) refuse('not_found', 'That item was already dealt with.', 'not_found');
    batch.audit({
      action: 'sync.dismiss_rejected',
      entity: item.tableName,
      entityId: item.rowId,
      // The refused values are named and hashed, not copied: no patient data in the trail.
      after: describeValues(item.data),
      details: { mutationId, op: item.op, reason: item.reasonCode },
    });
    if (item.op === 'insert' && isSyncedTableName(item.tableName))
      batch.withdrawRefusedInsert(localSyncedTables[item.tableName], item.rowId, mutationId);
    batch.local.delete(outbox).where(eq(outbox.mutationId, mutationId)).run();
    return { mutationId };
  });
}

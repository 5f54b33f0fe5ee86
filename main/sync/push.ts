/**
 * Push: drains the outbox to the server in device order, in batches, and records each answer in
 * the same local transaction that removes or flags the mutation. A push cut off anywhere resumes
 * safely: the server answers `duplicate` for what it already has.
 */
import { and, asc, count, eq, gt, inArray } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { LocalDb } from '../../db/local/open';
import { outbox, pushNotices, syncConflicts } from '../../db/local/schema';
import { alertKindOfPushCode } from '../../shared/clinical-alerts';
import { MAX_PUSH_BATCH, type Mutation, type ReceivedMutationResult } from '../../shared/protocol';
import type { SyncedTableName } from '../../shared/synced-tables';
import { createReplicaRows, isSyncedTableName, type ReplicaRows } from './replica-rows';
import { editableFields, rebasePendingEdits } from './rebase';
import { updateSyncState } from './sync-state';
import { TransportError, type SyncTransport } from './transport';

type OutboxRow = typeof outbox.$inferSelect;
type Tx = Parameters<Parameters<LocalDb['transaction']>[0]>[0];

export interface PushOutcome {
  sent: number;
  applied: number;
  conflicts: number;
  rejected: number;
  clockSkewMs: number | null;
}

export interface PushOptions {
  batchSize?: number;
  now?: () => Date;
  onBatch?: (done: number, remaining: number) => void;
}

export async function pushOutbox(
  db: LocalDb,
  transport: SyncTransport,
  options: PushOptions = {},
): Promise<PushOutcome> {
  const batchSize = Math.min(options.batchSize ?? MAX_PUSH_BATCH, MAX_PUSH_BATCH);
  const now = options.now ?? (() => new Date());
  const rows = createReplicaRows(db);
  const outcome: PushOutcome = {
    sent: 0,
    applied: 0,
    conflicts: 0,
    rejected: 0,
    clockSkewMs: null,
  };
  let afterSeq = 0;
  for (;;) {
    const batch = oneEditPerRow(
      db
        .select()
        .from(outbox)
        .where(and(eq(outbox.status, 'pending'), gt(outbox.deviceSeq, afterSeq)))
        .orderBy(asc(outbox.deviceSeq))
        .limit(batchSize)
        .all(),
    );
    if (batch.length === 0) break;
    const answer = await transport.push({
      mutations: batch.map(toMutation),
      deviceTime: now().toISOString(),
    });
    if (
      answer.results.length !== batch.length ||
      answer.results.some((result, i) => result.mutationId !== batch[i]?.mutationId)
    ) {
      throw new TransportError(
        'bad_answer',
        'The server answered a push with results that do not match it.',
      );
    }
    const receivedAt = now().toISOString();
    db.transaction((tx) => {
      batch.forEach((mutation, i) => {
        const result = answer.results[i];
        if (!result) return;
        recordResult(tx, rows, mutation, result, outcome);
        keepNotices(tx, mutation, result, receivedAt);
      });
      updateSyncState(tx, {
        lastPushAt: now().toISOString(),
        clockSkewMs: answer.clockSkewMs ?? null,
      });
    });
    outcome.sent += batch.length;
    outcome.clockSkewMs = answer.clockSkewMs ?? outcome.clockSkewMs;
    afterSeq = batch.at(-1)?.deviceSeq ?? afterSeq;
    options.onBatch?.(outcome.sent, countPending(db));
  }
  return outcome;
}

/**
 * Cuts a batch before the second mutation of a row it already holds. Two edits of one row made
 * offline are both based on the version the workstation had; sent one batch apart, the second
 * goes out based on the version the server gave the first, so the server does not mistake this
 * workstation's own earlier edit for someone else's.
 */
function oneEditPerRow(batch: OutboxRow[]): OutboxRow[] {
  const rows = new Set<string>();
  const end = batch.findIndex((mutation) => {
    const key = `${mutation.tableName}/${mutation.rowId}`;
    if (rows.has(key)) return true;
    rows.add(key);
    return false;
  });
  return end === -1 ? batch : batch.slice(0, end);
}

export function countPending(db: Pick<LocalDb, 'select'>): number {
  const row = db.select({ n: count() }).from(outbox).where(eq(outbox.status, 'pending')).get();
  return row?.n ?? 0;
}

function toMutation(row: OutboxRow): Mutation {
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
  };
}

function recordResult(
  tx: Tx,
  rows: ReplicaRows,
  mutation: OutboxRow,
  result: ReceivedMutationResult,
  outcome: PushOutcome,
): void {
  const table = isSyncedTableName(mutation.tableName) ? mutation.tableName : null;
  if (result.status === 'rejected') {
    outcome.rejected += 1;
    tx.update(outbox)
      .set({
        status: 'rejected',
        reasonCode: result.reason?.code ?? 'rejected',
        reasonMessage: result.reason?.message ?? 'The server refused this change.',
        attempts: mutation.attempts + 1,
      })
      .where(eq(outbox.mutationId, mutation.mutationId))
      .run();
    if (table && result.serverRow)
      adoptServerRow(tx, rows, table, mutation.rowId, result.serverRow);
    return;
  }
  tx.delete(outbox).where(eq(outbox.mutationId, mutation.mutationId)).run();
  if (result.status === 'conflict') {
    outcome.conflicts += 1;
    recordConflict(tx, mutation, result);
    if (table && result.serverRow)
      adoptServerRow(tx, rows, table, mutation.rowId, result.serverRow);
  } else {
    outcome.applied += 1;
  }
  if (table && result.version !== undefined)
    acknowledgeVersion(tx, rows, table, mutation, result.version);
}

/**
 * The server gave this mutation a new row version. When it directly follows the version the edit
 * was based on, nobody else changed the row in between: the replica's row is that version, and
 * later pending edits of the row, made on top of this one, are based on it too. Otherwise both
 * must keep claiming only what this workstation really saw, or an edit of a field someone else
 * changed meanwhile would silently overwrite it.
 */
function acknowledgeVersion(
  tx: Tx,
  rows: ReplicaRows,
  table: SyncedTableName,
  mutation: OutboxRow,
  version: number,
) {
  const directlyAfter =
    version === (mutation.op === 'insert' ? 1 : (mutation.baseVersion ?? 0) + 1);
  // Not directly after: the row holds changes this replica has not pulled yet; the next pull
  // brings the row and its version together.
  if (!directlyAfter) return;
  if ((rows.version(table, mutation.rowId) ?? Infinity) < version) {
    rows.setFields(table, mutation.rowId, { version });
  }
  tx.update(outbox)
    .set({ baseVersion: version })
    .where(
      and(
        eq(outbox.tableName, table),
        eq(outbox.rowId, mutation.rowId),
        eq(outbox.status, 'pending'),
        gt(outbox.deviceSeq, mutation.deviceSeq),
        inArray(outbox.op, ['update', 'delete']),
      ),
    )
    .run();
}

function adoptServerRow(
  tx: Tx,
  rows: ReplicaRows,
  table: SyncedTableName,
  rowId: string,
  serverRow: Record<string, unknown>,
): void {
  rows.applyServerRow(table, serverRow);
  rebasePendingEdits(tx, rows, table, rowId);
}

/** Keeps both sides of every field the server did not take, for a person to decide. */
function recordConflict(tx: Tx, mutation: OutboxRow, result: ReceivedMutationResult): void {
  const serverRow = result.serverRow ?? {};
  const typed = editableFields(mutation.data);
  const lost = Object.keys(typed).filter(
    (key) => JSON.stringify(typed[key]) !== JSON.stringify(serverRow[key]),
  );
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  tx.insert(syncConflicts)
    .values({
      id: uuidv7(),
      mutationId: mutation.mutationId,
      tableName: mutation.tableName,
      rowId: mutation.rowId,
      reasonCode: result.reason?.code ?? 'field_conflict',
      localValues: Object.fromEntries(lost.map((key) => [key, typed[key]])),
      serverValues: Object.fromEntries(lost.map((key) => [key, serverRow[key] ?? null])),
      serverVersion: result.version ?? null,
      // Who made each side and when, so the person deciding knows whose values they weigh.
      localUserId: mutation.userId,
      localTime: mutation.clientTime,
      serverUpdatedBy: text(serverRow.updatedBy),
      serverUpdatedAt: text(serverRow.updatedAt),
    })
    .run();
}

/**
 * Keeps what the server said about this change that its author must hear at once: warnings of
 * an applied change and the reason of a conflict, when a kind of clinical alert comes with them
 * (shared/clinical-alerts.ts). Other warnings (a sequence gap) are for IT, not the bedside.
 */
function keepNotices(
  tx: Tx,
  mutation: OutboxRow,
  result: ReceivedMutationResult,
  receivedAt: string,
): void {
  if (result.status === 'rejected') return;
  const said = [
    ...(result.warnings ?? []),
    ...(result.status === 'conflict' && result.reason ? [result.reason] : []),
  ];
  for (const { code, message } of said) {
    if (!alertKindOfPushCode(code)) continue;
    tx.insert(pushNotices)
      .values({
        id: uuidv7(),
        mutationId: mutation.mutationId,
        userId: mutation.userId,
        tableName: mutation.tableName,
        rowId: mutation.rowId,
        code,
        message,
        receivedAt,
      })
      .run();
  }
}

/**
 * Push: drains the outbox to the server in device order, in batches, and records each answer in
 * the same local transaction that removes or flags the mutation. A push cut off anywhere resumes
 * safely: the server answers `duplicate` for what it already has, repeating its first answer, and
 * a duplicate is recorded exactly as that first answer would have been.
 */
import { and, asc, count, eq, gt } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { LocalDb } from '../../db/local/open';
import { outbox, pushNotices, syncConflicts } from '../../db/local/schema';
import { alertKindOfPushCode } from '../../shared/clinical-alerts';
import {
  MAX_PUSH_BATCH,
  MAX_PUSH_BYTES,
  type FirstStatus,
  type ReceivedMutationResult,
} from '../../shared/protocol';
import type { SyncedTableName } from '../../shared/synced-tables';
import { outboxMutation, type OutboxRow } from './outbox-mutation';
import { firstWithinBytes } from './push-size';
import { createReplicaRows, isSyncedTableName, type ReplicaRows } from './replica-rows';
import { editableFields, rebasePendingEdits } from './rebase';
import { batchRefusal, setAsideIfItsOwn } from './set-aside';
import { updateSyncState } from './sync-state';
import { TransportError, type SyncTransport } from './transport';
import { untilUnsigned } from './waiting-signatures';

type Tx = Parameters<Parameters<LocalDb['transaction']>[0]>[0];
type PushAnswer = Awaited<ReturnType<SyncTransport['push']>>;

export interface PushOutcome {
  sent: number;
  applied: number;
  conflicts: number;
  rejected: number;
  clockSkewMs: number | null;
}

export interface PushOptions {
  batchSize?: number;
  /** Largest push body, bytes (MAX_PUSH_BYTES): a batch is cut by size as well as by count. */
  batchBytes?: number;
  now?: () => Date;
  onBatch?: (done: number, remaining: number) => void;
}

interface PushRun {
  db: LocalDb;
  transport: SyncTransport;
  rows: ReplicaRows;
  now: () => Date;
  outcome: PushOutcome;
  /** Lowered after a 413, so the batches after it are not refused and split in turn. */
  batchSize: number;
}

export async function pushOutbox(
  db: LocalDb,
  transport: SyncTransport,
  options: PushOptions = {},
): Promise<PushOutcome> {
  const run: PushRun = {
    db,
    transport,
    rows: createReplicaRows(db),
    now: options.now ?? (() => new Date()),
    outcome: { sent: 0, applied: 0, conflicts: 0, rejected: 0, clockSkewMs: null },
    batchSize: Math.min(options.batchSize ?? MAX_PUSH_BATCH, MAX_PUSH_BATCH),
  };
  const batchBytes = options.batchBytes ?? MAX_PUSH_BYTES;
  let afterSeq = 0;
  for (;;) {
    // Several edits of one row go in one batch: they are all based on versions this workstation
    // saw, and the server does not count the device's own earlier edits as someone else's.
    // A change still waiting for its author's signature holds back everything after it.
    const batch = firstWithinBytes(
      untilUnsigned(
        db
          .select()
          .from(outbox)
          .where(and(eq(outbox.status, 'pending'), gt(outbox.deviceSeq, afterSeq)))
          .orderBy(asc(outbox.deviceSeq))
          .limit(run.batchSize)
          .all(),
      ),
      batchBytes,
      outboxMutation,
    );
    if (batch.length === 0) break;
    await sendInOrder(run, batch);
    afterSeq = batch.at(-1)?.deviceSeq ?? afterSeq;
    options.onBatch?.(run.outcome.sent, countPending(db));
  }
  return run.outcome;
}

/**
 * Sends `batch`; if the server refuses it as a whole, sends each half in turn, down to the one
 * mutation it cannot take, which is set aside (./set-aside.ts). The halves go in device order:
 * nothing after a change is sent before that change is taken or set aside.
 */
async function sendInOrder(run: PushRun, batch: OutboxRow[]): Promise<void> {
  const deviceTime = run.now().toISOString();
  let answer: PushAnswer;
  try {
    answer = await run.transport.push({ mutations: batch.map(outboxMutation), deviceTime });
  } catch (error) {
    const refusal = batchRefusal(error);
    if (refusal === null || !(error instanceof TransportError)) throw error;
    const [only] = batch;
    if (batch.length === 1 && only) {
      await setAsideIfItsOwn(run.db, run.transport, only, refusal, error, deviceTime);
      run.outcome.rejected += 1;
      return;
    }
    const half = Math.ceil(batch.length / 2);
    if (refusal === 'too_large') run.batchSize = Math.min(run.batchSize, half);
    await sendInOrder(run, batch.slice(0, half));
    await sendInOrder(run, batch.slice(half));
    return;
  }
  recordAnswer(run, batch, answer);
}

function recordAnswer(run: PushRun, batch: OutboxRow[], answer: PushAnswer): void {
  if (
    answer.results.length !== batch.length ||
    answer.results.some((result, i) => result.mutationId !== batch[i]?.mutationId)
  ) {
    throw new TransportError(
      'bad_answer',
      'The server answered a push with results that do not match it.',
    );
  }
  const { outcome } = run;
  const receivedAt = run.now().toISOString();
  run.db.transaction((tx) => {
    batch.forEach((mutation, i) => {
      const result = answer.results[i];
      if (!result) return;
      recordResult(tx, run.rows, mutation, result, outcome);
      keepNotices(tx, mutation, result, receivedAt);
    });
    updateSyncState(tx, {
      lastPushAt: run.now().toISOString(),
      clockSkewMs: answer.clockSkewMs ?? null,
    });
  });
  outcome.sent += batch.length;
  outcome.clockSkewMs = answer.clockSkewMs ?? outcome.clockSkewMs;
}

export function countPending(db: Pick<LocalDb, 'select'>): number {
  const row = db.select({ n: count() }).from(outbox).where(eq(outbox.status, 'pending')).get();
  return row?.n ?? 0;
}

/**
 * What the server's answer says happened. A `duplicate` repeats the first answer, which may have
 * been lost on the way (protocol 2); a server before protocol 2 says only that it had the
 * mutation, which it then took: it refused or contested nothing it answered that way for.
 */
function statusOf(result: ReceivedMutationResult): FirstStatus {
  if (result.status !== 'duplicate') return result.status;
  return result.firstStatus ?? 'applied';
}

function recordResult(
  tx: Tx,
  rows: ReplicaRows,
  mutation: OutboxRow,
  result: ReceivedMutationResult,
  outcome: PushOutcome,
): void {
  const table = isSyncedTableName(mutation.tableName) ? mutation.tableName : null;
  const status = statusOf(result);
  if (status === 'rejected') {
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
  if (status === 'conflict') {
    outcome.conflicts += 1;
    recordConflict(tx, mutation, result);
    if (table && result.serverRow)
      adoptServerRow(tx, rows, table, mutation.rowId, result.serverRow);
  } else {
    outcome.applied += 1;
  }
  if (table && result.version !== undefined)
    acknowledgeVersion(rows, table, mutation, result.version);
}

/**
 * The server gave this mutation a new row version. When it directly follows the version the
 * replica's row has, nobody else changed the row in between: the replica's row is that version.
 * Otherwise the row holds changes this replica has not pulled yet, and the next pull brings the
 * row and its version together; claiming the version earlier would let a later local edit
 * silently overwrite a field someone else changed meanwhile.
 *
 * Later pending edits of the row keep the version they were based on: they are signed as they
 * were made, and a signed mutation is never rewritten. The server does not count this
 * workstation's own earlier edits against them (row_history.device_id).
 */
function acknowledgeVersion(
  rows: ReplicaRows,
  table: SyncedTableName,
  mutation: OutboxRow,
  version: number,
) {
  const current = rows.version(table, mutation.rowId);
  if (current !== null && version === current + 1) {
    rows.setFields(table, mutation.rowId, { version });
  }
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

/**
 * Keeps both sides of every field the server did not take, for a person to decide: once per
 * mutation, however often its answer arrives.
 */
function recordConflict(tx: Tx, mutation: OutboxRow, result: ReceivedMutationResult): void {
  const recorded = tx
    .select({ id: syncConflicts.id })
    .from(syncConflicts)
    .where(eq(syncConflicts.mutationId, mutation.mutationId))
    .get();
  if (recorded) return;
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
  // A duplicate repeats a first answer that never arrived: its notices were never kept.
  const status = statusOf(result);
  if (status === 'rejected') return;
  const said = [
    ...(result.warnings ?? []),
    ...(status === 'conflict' && result.reason ? [result.reason] : []),
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

import { setTimeout } from 'node:timers/promises';
import type pg from 'pg';
import type { Mutation, MutationResult } from '../../shared/protocol';
import { clearSignInLocks } from '../auth/lockout';
import { promoteDischargedVisits } from '../records/promotion';
import { loadBatchState } from './batch-state';
import { decideMutation } from './decide';
import { loadDeviceSequence, lockDeviceSequence } from './device-sequence';
import { emptyPlan, type PushDevice, type WritePlan } from './plan';
import { prepareMutation } from './prepare';
import { idempotencyRecord, type FirstOutcome } from './first-outcome';
import { insertRecords, selectRows, writeRows, type WireRow } from './rows';
import { noticeRefusal } from './server-checks';
import type { TableShapes } from './table-shapes';

/** Where the push tells operations what it did (pino's shape; fields only, no patient data). */
export interface PushLog {
  info(fields: Record<string, unknown>, message: string): void;
}

export interface PushContext {
  device: PushDevice;
  shapes: TableShapes;
  now: () => Date;
  log?: PushLog;
}

async function writePlan(client: pg.PoolClient, ctx: PushContext, plan: WritePlan): Promise<void> {
  // SYNCED_TABLES order is the foreign-key order, so a visit lands after the patient it names.
  for (const shape of ctx.shapes.values()) {
    const entries = [...plan.rows.values()].filter((entry) => entry.shape === shape);
    await writeRows(
      client,
      shape,
      entries.filter((e) => e.isNew).map((e) => e.row),
      'insert',
    );
    await writeRows(
      client,
      shape,
      entries.filter((e) => !e.isNew).map((e) => e.row),
      'upsert',
    );
  }
  await insertRecords(client, 'row_history', plan.history);
  await insertRecords(client, 'sync_conflicts', plan.conflicts);
  await insertRecords(client, 'applied_mutations', plan.applied);
  await promoteDischargedVisits(client, ctx.shapes, [...plan.visitIds]);
  await clearSignInLocks(client, [...plan.unlocks]);
}

/**
 * Answers given before the batch is decided (a signature that does not hold,
 * server/authorship/signed-push.ts): one per mutation, null for those the batch decides. A
 * promise, so that the check runs while the batch's transaction does its work.
 */
export type Refusals = Promise<readonly (MutationResult | null)[]>;

const noRefusals = (mutations: readonly Mutation[]): Refusals =>
  Promise.resolve(mutations.map(() => null));

/** Decides and writes a list of mutations inside the caller's transaction. */
async function applyMutations(
  client: pg.PoolClient,
  ctx: PushContext,
  mutations: readonly Mutation[],
): Promise<MutationResult[]> {
  const prepared = mutations.map((mutation) => prepareMutation(ctx.shapes, mutation));
  const state = await loadBatchState(client, ctx.shapes, ctx.device.hospitalId, prepared);
  const sequence = await loadDeviceSequence(client, ctx.device.id);
  const plan = emptyPlan();
  const decide = { device: ctx.device, shapes: ctx.shapes, now: ctx.now(), state, plan, sequence };
  const results = prepared.map((item) => decideMutation(decide, item));
  await writePlan(client, ctx, plan);
  return results;
}

interface PgError {
  code?: string;
  constraint?: string;
  table?: string;
}

// A NUL character (pasted from a scanner or another program): PostgreSQL's text cannot hold it,
// in a text column (22021) or inside JSON (22P05).
const NUL_IN_TEXT =
  'A text holds a character that cannot be stored (a NUL character); remove it and save again.';

/** What a database refusal means to the person who made the change (never the SQL itself). */
const REFUSALS: Record<string, string> = {
  '23503': 'The change refers to a record the server does not have.',
  '23505': 'The change would duplicate a record that must be unique (for example an MRN).',
  '23514':
    'The change breaks a rule of the record (for example a discharge needs a discharge time).',
  '23502': 'The change leaves a required field empty.',
  '22001': 'A value is too long.',
  '22003': 'A number is out of range.',
  '22021': NUL_IN_TEXT,
  '22P05': NUL_IN_TEXT,
};

async function applyAlone(
  client: pg.PoolClient,
  ctx: PushContext,
  mutation: Mutation,
): Promise<MutationResult> {
  let lastError: unknown;
  // A second attempt sees what a concurrent push committed meanwhile (a bed just taken, a
  // resend of the same mutation that won the race) and decides accordingly.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    await client.query('savepoint mutation');
    try {
      const [result] = await applyMutations(client, ctx, [mutation]);
      await client.query('release savepoint mutation');
      if (result) return result;
    } catch (error) {
      lastError = error;
      await client.query('rollback to savepoint mutation');
    }
  }
  const message = REFUSALS[(lastError as PgError).code ?? ''];
  if (message === undefined) throw lastError;
  const reason = { code: 'validation', message } as const;
  const outcome: FirstOutcome = { status: 'rejected', reason };
  await alertRefusal(client, ctx, mutation, reason);
  await insertRecords(client, 'applied_mutations', [
    idempotencyRecord(ctx.device, mutation, outcome, ctx.now()),
  ]);
  const serverRow = await currentRow(client, ctx, mutation);
  return { mutationId: mutation.mutationId, ...outcome, ...(serverRow ? { serverRow } : {}) };
}

/** The row as the server has it, for the device to put its replica right; its hospital's only. */
async function currentRow(
  client: pg.PoolClient,
  ctx: PushContext,
  mutation: Mutation,
): Promise<WireRow | undefined> {
  const shape = ctx.shapes.get(mutation.table);
  if (!shape) return undefined;
  const row = (await selectRows(client, shape, [mutation.id])).get(mutation.id);
  return row?.hospitalId === ctx.device.hospitalId ? row : undefined;
}

/**
 * Why the fast path gave up, for operations: the Postgres error code and the constraint or table
 * it names. Never the error's message or detail, which can quote the values (a name, an MRN).
 */
function fallbackReason(error: unknown): Record<string, unknown> {
  const pgError = error as PgError;
  if (typeof pgError.code !== 'string') {
    return { error: error instanceof Error ? error.name : typeof error };
  }
  return {
    code: pgError.code,
    ...(pgError.constraint ? { constraint: pgError.constraint } : {}),
    ...(pgError.table ? { table: pgError.table } : {}),
  };
}

/**
 * A change the database refused is refused like any other: the table's checks hear of it (a
 * refused clinical change raises an alert). The alert is written in a savepoint of its own, so
 * that nothing about it can cost the refusal its record.
 */
async function alertRefusal(
  client: pg.PoolClient,
  ctx: PushContext,
  mutation: Mutation,
  reason: MutationResult['reason'] & object,
): Promise<void> {
  await client.query('savepoint refusal');
  try {
    const prepared = [prepareMutation(ctx.shapes, mutation)];
    const state = await loadBatchState(client, ctx.shapes, ctx.device.hospitalId, prepared);
    const plan = emptyPlan();
    const sequence = await loadDeviceSequence(client, ctx.device.id);
    noticeRefusal(
      { device: ctx.device, shapes: ctx.shapes, now: ctx.now(), state, plan, sequence },
      mutation,
      reason,
    );
    await writePlan(client, ctx, plan);
    await client.query('release savepoint refusal');
  } catch {
    await client.query('rollback to savepoint refusal');
  }
}

/**
 * Applies a push. The fast path decides the whole batch in memory and writes it set-based in
 * one transaction; if the database refuses any of it (a constraint, a race with another
 * device), the batch is redone mutation by mutation, each in its own savepoint, so one bad
 * mutation never stops or undoes the rest. Returns only after commit.
 */
export async function pushMutations(
  pool: pg.Pool,
  ctx: PushContext,
  mutations: readonly Mutation[],
  refusals: Refusals = noRefusals(mutations),
): Promise<MutationResult[]> {
  // Two pushes that touch the same rows in different orders can deadlock; Postgres undoes one of
  // them whole, so it is safe, and right, to run that one again.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await pushOnce(pool, ctx, mutations, refusals);
    } catch (error) {
      if (!TRANSIENT.has((error as PgError).code ?? '') || attempt >= MAX_ATTEMPTS) throw error;
      await setTimeout(Math.round(Math.random() * 20 * attempt));
    }
  }
}

/** Deadlock and serialization failure: the transaction was undone and may simply be retried. */
const TRANSIENT = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;

async function pushOnce(
  pool: pg.Pool,
  ctx: PushContext,
  mutations: readonly Mutation[],
  refusals: Refusals,
): Promise<MutationResult[]> {
  const client = await pool.connect();
  try {
    // The whole batch, while the refusals are still being worked out: it commits only if there
    // are none, so nothing of a batch with a refused mutation is ever kept from this pass.
    try {
      await client.query('begin');
      await lockDeviceSequence(client, ctx.device.id);
      const results = await applyMutations(client, ctx, mutations);
      if ((await refusals).every((refusal) => refusal === null)) {
        await client.query('commit');
        return results;
      }
      await client.query('rollback');
    } catch (error) {
      await client.query('rollback');
      ctx.log?.info(
        { ...fallbackReason(error), deviceId: ctx.device.id, mutations: mutations.length },
        'push: the batch is redone one mutation at a time',
      );
    }
    const refused = await refusals;
    await client.query('begin');
    try {
      await lockDeviceSequence(client, ctx.device.id);
      const results: MutationResult[] = [];
      for (const [index, mutation] of mutations.entries())
        results.push(refused[index] ?? (await applyAlone(client, ctx, mutation)));
      await client.query('commit');
      return results;
    } catch (error) {
      await client.query('rollback');
      throw error;
    }
  } finally {
    client.release();
  }
}

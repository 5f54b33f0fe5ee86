import { canonicalJson } from '../../shared/audit-chain';
import type { SyncedTable } from '../../shared/catalog';
import { refuseInitialStatus, refuseTransition } from '../../shared/catalog/status-machine';
import { permissionsFor } from '../../shared/mutation-permissions';
import { isPermission } from '../../shared/permissions';
import type { Mutation, MutationResult, Reason } from '../../shared/protocol';
import { effectivePermissions } from '../../shared/roles';
import { rowKey } from './batch-state';
import { noteSequence, refuseReusedSequence } from './device-sequence';
import { answerDuplicate, firstOutcome, idempotencyRecord } from './first-outcome';
import { conflictRecord, writeRow, type DecideContext } from './plan';
import type { PreparedMutation } from './prepare';
import type { WireRow } from './rows';
import { redirectToSurvivor, warnRedirected } from './merged-patients';
import { noticeRefusal, refuseByChecks, serverChecksOf } from './server-checks';
import {
  foreignIdRefusal,
  foreignRowRefusal,
  referencingValues,
  refuseForeignReferences,
} from './tenancy';

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

function reject(mutation: Mutation, reason: Reason, serverRow?: WireRow): MutationResult {
  return {
    mutationId: mutation.mutationId,
    status: 'rejected',
    reason,
    ...(serverRow ? { serverRow } : {}),
  };
}

/** Keeps the first outcome, so a resend (later, or further down this batch) can repeat it. */
function record(ctx: DecideContext, mutation: Mutation, result: MutationResult): MutationResult {
  const outcome = firstOutcome(result);
  ctx.state.seen.set(mutation.mutationId, outcome);
  ctx.plan.applied.push(idempotencyRecord(ctx.device, mutation, outcome, ctx.now));
  return result;
}

/**
 * The row as the server has it now, this batch's decisions so far included; never another
 * hospital's row (tenancy), nor reference data the device cannot change anyway.
 */
function currentRow(ctx: DecideContext, mutation: Mutation): WireRow | undefined {
  const row = ctx.state.rows.get(rowKey(mutation.table, mutation.id));
  return row?.hospitalId === ctx.device.hospitalId ? row : undefined;
}

function checkStaff(ctx: DecideContext, mutation: Mutation): Reason | null {
  const user = ctx.state.staff.get(mutation.userId);
  if (!user || user.deleted || !user.active) {
    return {
      code: 'forbidden',
      message: 'The person who made this change has no active account on the server.',
    };
  }
  if (user.hospitalId !== null && user.hospitalId !== ctx.device.hospitalId) {
    return {
      code: 'forbidden',
      message: 'The person who made this change belongs to another hospital.',
    };
  }
  return null;
}

function checkPermission(
  ctx: DecideContext,
  table: SyncedTable,
  mutation: Mutation,
  before: WireRow | undefined,
  changes: Record<string, unknown>,
): Reason | null {
  const needed = permissionsFor(table, { table: mutation.table, op: mutation.op, before, changes });
  const user = ctx.state.staff.get(mutation.userId);
  if (!needed || !user) {
    return {
      code: 'forbidden',
      message: `Changes to ${mutation.table} cannot be made from a workstation.`,
    };
  }
  user.held ??= effectivePermissions(
    user.role,
    user.grants.flatMap((grant) =>
      isPermission(grant.permission)
        ? [{ permission: grant.permission, expiresAt: grant.expiresAt }]
        : [],
    ),
    ctx.now,
  );
  const held = user.held;
  const missing = needed.filter((permission) => !held.has(permission));
  if (missing.length === 0) return null;
  return {
    code: 'forbidden',
    message: `This change needs the permission ${missing.join(', ')}, which the user does not have.`,
  };
}

/** Tenancy: a reference of the row the change leaves that names another hospital's row. */
function checkReferences(
  ctx: DecideContext,
  item: Extract<PreparedMutation, { ok: true }>,
  current: WireRow | undefined,
): Reason | null {
  return refuseForeignReferences(
    ctx.device.hospitalId,
    item.shape.table,
    referencingValues(item, current),
    (table, id) => {
      const key = rowKey(table, id);
      const row = ctx.state.rows.get(key);
      return row ? row.hospitalId : ctx.state.owners.get(key);
    },
  );
}

function decideInsert(
  ctx: DecideContext,
  item: Extract<PreparedMutation, { ok: true }>,
): MutationResult {
  const { mutation, shape, data } = item;
  const table = shape.table.name;
  const existing = ctx.state.rows.get(rowKey(table, mutation.id));
  if (existing && existing.hospitalId !== ctx.device.hospitalId) {
    return reject(mutation, foreignIdRefusal(table));
  }
  if (existing) {
    return reject(
      mutation,
      { code: 'validation', message: `id: a ${table} row with this id already exists.` },
      existing,
    );
  }
  const foreign = checkReferences(ctx, item, undefined);
  if (foreign) return reject(mutation, foreign);
  const permission = checkPermission(ctx, shape.table, mutation, undefined, data);
  if (permission) return reject(mutation, permission);
  const refusal = refuseByChecks(ctx, shape.table, mutation, undefined, data);
  if (refusal) return reject(mutation, refusal);
  const initial = refuseInitialStatus(shape.table, data);
  if (initial) return reject(mutation, { code: 'invalid_transition', message: initial });
  const now = ctx.now.toISOString();
  const row: WireRow = {
    ...data,
    id: mutation.id,
    hospitalId: ctx.device.hospitalId,
    version: 1,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    updatedBy: mutation.userId,
  };
  const result: MutationResult = { mutationId: mutation.mutationId, status: 'applied', version: 1 };
  for (const check of serverChecksOf(shape.table)) check.onInsert?.(ctx, mutation, row, result);
  writeRow(ctx, shape, row, {
    isNew: true,
    changedFields: Object.keys(shape.table.fields.shape),
    mutationId: mutation.mutationId,
    userId: mutation.userId,
  });
  if (result.status === 'conflict') result.serverRow = row;
  return result;
}

/**
 * Fields someone else changed after `baseVersion` (recorded per version in row_history). The
 * pushing device's own later versions do not count: it made its next edit already seeing them
 * (two offline edits of one field are both based on the version it last pulled).
 */
function changedSince(ctx: DecideContext, rowId: string, baseVersion: number): Set<string> {
  const fields = new Set<string>();
  for (const entry of ctx.state.history.get(rowId) ?? []) {
    if (entry.version <= baseVersion || entry.deviceId === ctx.device.id) continue;
    for (const field of entry.changedFields) fields.add(field);
  }
  return fields;
}

function decideChange(
  ctx: DecideContext,
  item: Extract<PreparedMutation, { ok: true }>,
): MutationResult {
  const { mutation, shape } = item;
  const table = shape.table.name;
  const current = ctx.state.rows.get(rowKey(table, mutation.id));
  if (!current) {
    return reject(mutation, {
      code: 'not_found',
      message: `There is no ${table} row with this id in this hospital.`,
    });
  }
  // Reference data is no hospital's; the permission check below refuses it to every workstation.
  if (shape.table.scope === 'hospital' && current.hospitalId !== ctx.device.hospitalId) {
    return reject(mutation, foreignRowRefusal(table));
  }
  const foreign = checkReferences(ctx, item, current);
  if (foreign) return reject(mutation, foreign);
  const data =
    mutation.op === 'delete'
      ? { deletedAt: current.deletedAt ?? ctx.now.toISOString() }
      : item.data;
  const changes = Object.fromEntries(
    Object.entries(data).filter(([field, value]) => !same(value, current[field])),
  );
  // A move the workflow never allows is refused whoever asks, before asking who may.
  const field = shape.table.statusMachine?.field;
  const transition = field ? refuseTransition(shape.table, current[field], changes[field]) : null;
  if (transition) {
    return reject(mutation, { code: 'invalid_transition', message: transition }, current);
  }
  const permission = checkPermission(ctx, shape.table, mutation, current, changes);
  if (permission) return reject(mutation, permission, current);
  const refusal = refuseByChecks(ctx, shape.table, mutation, current, changes);
  if (refusal) return reject(mutation, refusal, current);
  const baseVersion = mutation.baseVersion ?? current.version;
  if (baseVersion > current.version) {
    return reject(
      mutation,
      {
        code: 'validation',
        message: `baseVersion: the server has version ${current.version}, older than ${baseVersion}.`,
      },
      current,
    );
  }
  const contested =
    mutation.op === 'delete' ? new Set<string>() : changedSince(ctx, current.id, baseVersion);
  const losing = Object.fromEntries(
    Object.entries(changes).filter(([field]) => contested.has(field)),
  );
  const winning = Object.fromEntries(
    Object.entries(changes).filter(([field]) => !contested.has(field)),
  );
  const result: MutationResult = {
    mutationId: mutation.mutationId,
    status: 'applied',
    version: current.version,
  };
  let row = current;
  if (Object.keys(winning).length > 0) {
    row = {
      ...current,
      ...winning,
      version: current.version + 1,
      updatedAt: ctx.now.toISOString(),
      updatedBy: mutation.userId,
    };
    for (const check of serverChecksOf(shape.table)) check.onUpdate?.(ctx, mutation, row, result);
    writeRow(ctx, shape, row, {
      isNew: false,
      changedFields: Object.keys(winning),
      mutationId: mutation.mutationId,
      userId: mutation.userId,
    });
    result.version = row.version;
  }
  if (Object.keys(losing).length > 0) {
    const serverValues = Object.fromEntries(
      Object.keys(losing).map((field) => [field, row[field]]),
    );
    ctx.plan.conflicts.push(
      conflictRecord(ctx, mutation, 'concurrent_edit', losing, serverValues, row.version),
    );
    result.status = 'conflict';
    result.reason = {
      code: 'concurrent_edit',
      message: `Someone else changed ${Object.keys(losing).join(', ')} meanwhile; the server kept their value.`,
    };
  }
  if (result.status === 'conflict') result.serverRow = row;
  return result;
}

/** Decides one mutation against the batch state, recording what to write in the plan. */
export function decideMutation(ctx: DecideContext, item: PreparedMutation): MutationResult {
  const { mutation } = item;
  const seen = ctx.state.seen.get(mutation.mutationId);
  if (seen) return answerDuplicate(mutation, seen, currentRow(ctx, mutation));
  const reused = refuseReusedSequence(ctx.sequence, mutation);
  if (reused) return record(ctx, mutation, reused);
  const result = decideNew(ctx, item);
  noteSequence(ctx.sequence, mutation, result);
  if (result.status === 'rejected' && result.reason) noticeRefusal(ctx, mutation, result.reason);
  return record(ctx, mutation, result);
}

function decideNew(ctx: DecideContext, item: PreparedMutation): MutationResult {
  const { mutation } = item;
  if (!item.ok) return reject(mutation, item.reason);
  const staff = checkStaff(ctx, mutation);
  if (staff) return reject(mutation, staff);
  // A change naming a record merged meanwhile is filed under the survivor, before anything else.
  const redirected = redirectToSurvivor(ctx, item);
  const result = mutation.op === 'insert' ? decideInsert(ctx, item) : decideChange(ctx, item);
  if (redirected) warnRedirected(result);
  return result;
}

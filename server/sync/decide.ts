import { canonicalJson } from '../../shared/audit-chain';
import type { SyncedTable } from '../../shared/catalog';
import { refuseInitialStatus, refuseTransition } from '../../shared/catalog/status-machine';
import { permissionsFor } from '../../shared/mutation-permissions';
import { isPermission } from '../../shared/permissions';
import type { Mutation, MutationResult, Reason } from '../../shared/protocol';
import { effectivePermissions } from '../../shared/roles';
import { rowKey } from './batch-state';
import { conflictRecord, writeRow, type DecideContext } from './plan';
import type { PreparedMutation } from './prepare';
import type { WireRow } from './rows';
import { noticeRefusal, refuseByChecks, serverChecksOf } from './server-checks';

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

function reject(mutation: Mutation, reason: Reason, serverRow?: WireRow): MutationResult {
  return {
    mutationId: mutation.mutationId,
    status: 'rejected',
    reason,
    ...(serverRow ? { serverRow } : {}),
  };
}

function record(ctx: DecideContext, mutation: Mutation, result: MutationResult): MutationResult {
  ctx.state.seen.set(mutation.mutationId, result);
  ctx.plan.applied.push({
    mutationId: mutation.mutationId,
    deviceId: ctx.device.id,
    deviceSeq: mutation.deviceSeq,
    userId: mutation.userId,
    tableName: mutation.table,
    rowId: mutation.id,
    op: mutation.op,
    status: result.status,
    version: result.version ?? null,
    result,
    clientTime: mutation.clientTime,
    receivedAt: ctx.now.toISOString(),
  });
  return result;
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

function decideInsert(
  ctx: DecideContext,
  item: Extract<PreparedMutation, { ok: true }>,
): MutationResult {
  const { mutation, shape, data } = item;
  const table = shape.table.name;
  const existing = ctx.state.rows.get(rowKey(table, mutation.id));
  if (existing) {
    return reject(
      mutation,
      { code: 'validation', message: `id: a ${table} row with this id already exists.` },
      existing,
    );
  }
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
  writeRow(
    ctx,
    shape,
    row,
    Object.keys(shape.table.fields.shape),
    mutation.mutationId,
    mutation.userId,
  );
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
  if (!current || current.hospitalId !== ctx.device.hospitalId) {
    return reject(mutation, {
      code: 'not_found',
      message: `There is no ${table} row with this id in this hospital.`,
    });
  }
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
    writeRow(ctx, shape, row, Object.keys(winning), mutation.mutationId, mutation.userId);
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
  if (seen) {
    return {
      mutationId: mutation.mutationId,
      status: 'duplicate',
      ...(seen.version !== undefined ? { version: seen.version } : {}),
      ...(seen.status === 'rejected' && seen.reason ? { reason: seen.reason } : {}),
    };
  }
  const result = decideFresh(ctx, item);
  if (result.status === 'rejected' && result.reason) noticeRefusal(ctx, mutation, result.reason);
  return record(ctx, mutation, result);
}

function decideFresh(ctx: DecideContext, item: PreparedMutation): MutationResult {
  if (!item.ok) return reject(item.mutation, item.reason);
  const staff = checkStaff(ctx, item.mutation);
  if (staff) return reject(item.mutation, staff);
  return item.mutation.op === 'insert' ? decideInsert(ctx, item) : decideChange(ctx, item);
}

import { v7 as uuidv7 } from 'uuid';
import { canonicalJson } from '../../shared/audit-chain';
import { requiredPermissions } from '../../shared/mutation-permissions';
import { isPermission } from '../../shared/permissions';
import type { Mutation, MutationResult, Reason } from '../../shared/protocol';
import { effectivePermissions } from '../../shared/roles';
import { LAB_TEST_TRANSITIONS } from '../../shared/schemas/lab-tests';
import { VISIT_TRANSITIONS } from '../../shared/schemas/visits';
import { doseKey, identityKey, rowKey, type BatchState, type HistoryEntry } from './batch-state';
import type { PreparedMutation } from './prepare';
import type { WireRow } from './rows';
import type { TableShape, TableShapes } from './table-shapes';
import { checkAccountMutation } from './account-rules';

export interface PushDevice {
  id: string;
  hospitalId: string;
}

/** What a batch will write, gathered while deciding and written set-based afterwards. */
export interface WritePlan {
  /** `table:id` → final row; `isNew` rows are inserted, the others replace the locked row. */
  rows: Map<string, { shape: TableShape; row: WireRow; isNew: boolean }>;
  history: Record<string, unknown>[];
  applied: Record<string, unknown>[];
  conflicts: Record<string, unknown>[];
  /** Visits whose global EMR entry may need (re)building once the rows are written. */
  visitIds: Set<string>;
}

export interface DecideContext {
  device: PushDevice;
  shapes: TableShapes;
  now: Date;
  state: BatchState;
  plan: WritePlan;
}

export const emptyPlan = (): WritePlan => ({
  rows: new Map(),
  history: [],
  applied: [],
  conflicts: [],
  visitIds: new Set(),
});

const CLINICAL_TABLES = new Set([
  'vitals',
  'nurse_logs',
  'medication_administrations',
  'lab_tests',
  'prescriptions',
  'emr_local',
]);

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

function writeRow(
  ctx: DecideContext,
  shape: TableShape,
  row: WireRow,
  changedFields: string[],
  mutationId: string | null,
  userId: string,
) {
  const key = rowKey(shape.table.name, row.id);
  const previous = ctx.plan.rows.get(key);
  const isNew = previous ? previous.isNew : row.version === 1;
  ctx.state.rows.set(key, row);
  ctx.plan.rows.set(key, { shape, row, isNew });
  const deviceId = mutationId === null ? null : ctx.device.id;
  const entry: HistoryEntry = { version: row.version, changedFields, deviceId };
  ctx.state.history.set(row.id, [...(ctx.state.history.get(row.id) ?? []), entry]);
  ctx.plan.history.push({
    tableName: shape.table.name,
    rowId: row.id,
    version: row.version,
    changedFields,
    mutationId,
    deviceId,
    changedBy: userId,
    changedAt: ctx.now.toISOString(),
  });
  if (shape.table.name === 'visits') ctx.plan.visitIds.add(row.id);
  if (CLINICAL_TABLES.has(shape.table.name) && typeof row.visitId === 'string')
    ctx.plan.visitIds.add(row.visitId);
}

/** A synced clinical_alerts row the ward will see, raised by the server itself. */
function raiseAlert(
  ctx: DecideContext,
  mutation: Mutation,
  kind: string,
  refs: { visitId: unknown; patientId: unknown },
  details: Record<string, unknown>,
) {
  const shape = ctx.shapes.get('clinical_alerts');
  if (!shape) return;
  const now = ctx.now.toISOString();
  const row: WireRow = {
    id: uuidv7(),
    hospitalId: ctx.device.hospitalId,
    version: 1,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    updatedBy: mutation.userId,
    kind,
    visitId: typeof refs.visitId === 'string' ? refs.visitId : null,
    patientId: typeof refs.patientId === 'string' ? refs.patientId : null,
    details: { ...details, mutationId: mutation.mutationId, deviceId: ctx.device.id },
    acknowledgedBy: null,
    acknowledgedAt: null,
  };
  writeRow(ctx, shape, row, Object.keys(shape.table.fields.shape), null, mutation.userId);
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
  mutation: Mutation,
  before: WireRow | undefined,
  changes: Record<string, unknown>,
): Reason | null {
  const needed = requiredPermissions({ table: mutation.table, op: mutation.op, before, changes });
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

function checkTransition(table: string, from: unknown, to: unknown): Reason | null {
  if (typeof from !== 'string' || typeof to !== 'string' || from === to) return null;
  const transitions: Record<string, readonly string[] | undefined> | null =
    table === 'visits' ? VISIT_TRANSITIONS : table === 'lab_tests' ? LAB_TEST_TRANSITIONS : null;
  if (!transitions || (transitions[from] ?? []).includes(to)) return null;
  return {
    code: 'invalid_transition',
    message: `A ${table === 'visits' ? 'visit' : 'lab test'} cannot go from ${from} to ${to}.`,
  };
}

const INITIAL_STATUS: Record<string, string> = { visits: 'admitted', lab_tests: 'pending' };

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
  const permission = checkPermission(ctx, mutation, undefined, data);
  if (permission) return reject(mutation, permission);
  const account = checkAccountMutation(ctx.state, mutation, undefined, data, ctx.now);
  if (account) return reject(mutation, account);
  const initial = INITIAL_STATUS[table];
  if (initial !== undefined && data.status !== initial) {
    return reject(mutation, {
      code: 'invalid_transition',
      message: `A new ${table === 'visits' ? 'visit' : 'lab test'} starts as ${initial}, not ${String(data.status)}.`,
    });
  }
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
  if (table === 'visits') applyBedRule(ctx, mutation, row, result);
  if (table === 'medication_administrations') applyDoubleDoseRule(ctx, mutation, row, result);
  if (table === 'patients') applyDuplicatePatientRule(ctx, mutation, row, result);
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

/** A bed holds one admitted visit: the later admission is kept, without the bed, as a conflict. */
function applyBedRule(
  ctx: DecideContext,
  mutation: Mutation,
  row: WireRow,
  result: MutationResult,
) {
  const holders = ctx.state.bedHolders;
  for (const [bedId, visitId] of holders) if (visitId === row.id) holders.delete(bedId);
  const bedId = row.bedId;
  if (row.status !== 'admitted' || row.deletedAt !== null || typeof bedId !== 'string') return;
  const holder = holders.get(bedId);
  if (holder === undefined || holder === row.id) {
    holders.set(bedId, row.id);
    return;
  }
  row.bedId = null;
  result.status = 'conflict';
  result.reason = {
    code: 'bed_unavailable',
    message: 'That bed is held by another admitted patient; the visit was kept without a bed.',
  };
  ctx.plan.conflicts.push(
    conflictRecord(
      ctx,
      mutation,
      'bed_unavailable',
      { bedId },
      { bedId: null, heldByVisitId: holder },
      row.version,
    ),
  );
  raiseAlert(
    ctx,
    mutation,
    'bed_conflict',
    { visitId: row.id, patientId: row.patientId },
    { bedId, heldByVisitId: holder },
  );
}

/** The patient may really have had two doses: record both, warn, and tell the ward. */
function applyDoubleDoseRule(
  ctx: DecideContext,
  mutation: Mutation,
  row: WireRow,
  result: MutationResult,
) {
  if (row.status !== 'given' || row.enteredInErrorId !== null) return;
  const key = doseKey(row.prescriptionId, row.scheduledFor);
  if (!ctx.state.givenDoses.has(key)) {
    ctx.state.givenDoses.add(key);
    return;
  }
  result.warnings = [
    { code: 'possible_double_dose', message: 'This scheduled dose was already charted as given.' },
  ];
  raiseAlert(
    ctx,
    mutation,
    'possible_double_dose',
    { visitId: row.visitId, patientId: row.patientId },
    {
      prescriptionId: row.prescriptionId,
      scheduledFor: row.scheduledFor,
      administrationId: row.id,
    },
  );
}

function applyDuplicatePatientRule(
  ctx: DecideContext,
  mutation: Mutation,
  row: WireRow,
  result: MutationResult,
) {
  const key = identityKey(row);
  const other = ctx.state.patientIdentities.get(key);
  if (other === undefined || other === row.id) {
    ctx.state.patientIdentities.set(key, row.id);
    return;
  }
  result.warnings = [
    {
      code: 'possible_duplicate_patient',
      message: 'Another patient of this hospital has the same name, date of birth and sex.',
    },
  ];
  raiseAlert(
    ctx,
    mutation,
    'possible_duplicate_patient',
    { visitId: null, patientId: row.id },
    { matchingPatientId: other },
  );
}

function conflictRecord(
  ctx: DecideContext,
  mutation: Mutation,
  reasonCode: string,
  losingValues: Record<string, unknown>,
  serverValues: Record<string, unknown>,
  serverVersion: number,
): Record<string, unknown> {
  return {
    id: uuidv7(),
    hospitalId: ctx.device.hospitalId,
    deviceId: ctx.device.id,
    mutationId: mutation.mutationId,
    tableName: mutation.table,
    rowId: mutation.id,
    reasonCode,
    baseVersion: mutation.baseVersion,
    serverVersion,
    losingValues,
    serverValues,
    createdAt: ctx.now.toISOString(),
  };
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
  const transition = checkTransition(table, current.status, changes.status);
  if (transition) return reject(mutation, transition, current);
  const permission = checkPermission(ctx, mutation, current, changes);
  if (permission) return reject(mutation, permission, current);
  const account = checkAccountMutation(ctx.state, mutation, current, changes, ctx.now);
  if (account) return reject(mutation, account, current);
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
    if (table === 'visits') applyBedRule(ctx, mutation, row, result);
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
  if (!item.ok) return record(ctx, mutation, reject(mutation, item.reason));
  const staff = checkStaff(ctx, mutation);
  if (staff) return record(ctx, mutation, reject(mutation, staff));
  const result = mutation.op === 'insert' ? decideInsert(ctx, item) : decideChange(ctx, item);
  return record(ctx, mutation, result);
}

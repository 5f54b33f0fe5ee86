import { v7 as uuidv7 } from 'uuid';
import type { Mutation } from '../../shared/protocol';
import type { BatchState, HistoryEntry } from './batch-state';
import type { DeviceSequence } from './device-sequence';
import { rowKey, type WireRow } from './rows';
import type { TableShape, TableShapes } from './table-shapes';

export interface PushDevice {
  id: string;
  hospitalId: string;
  /** Quoted in the alerts its changes raise ("charted … on Ward B workstation"). */
  name?: string;
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
  /** Accounts an administrator unlocked: the server's sign-in lock goes too (auth/lockout.ts). */
  unlocks: Set<string>;
}

export interface DecideContext {
  device: PushDevice;
  shapes: TableShapes;
  now: Date;
  state: BatchState;
  plan: WritePlan;
  /** The device's sequence numbers so far, moved on as the batch's answers are decided. */
  sequence: DeviceSequence;
}

export const emptyPlan = (): WritePlan => ({
  rows: new Map(),
  history: [],
  applied: [],
  conflicts: [],
  visitIds: new Set(),
  unlocks: new Set(),
});

export interface RowWrite {
  /**
   * The row is not in the database yet (an insert, a server-raised alert), said by the caller
   * that knows it: a version number does not tell (a row may be stored at any version).
   */
  isNew: boolean;
  changedFields: string[];
  /** The mutation that made this version; null when the server made it. */
  mutationId: string | null;
  userId: string;
}

/** Plans a row's new version and its history entry; marks the visit it belongs to for promotion. */
export function writeRow(
  ctx: DecideContext,
  shape: TableShape,
  row: WireRow,
  { isNew: newRow, changedFields, mutationId, userId }: RowWrite,
) {
  const key = rowKey(shape.table.name, row.id);
  const previous = ctx.plan.rows.get(key);
  // Inserted and then changed within one batch: still one insert of the final row.
  const isNew = previous ? previous.isNew : newRow;
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
  if (shape.table.globalEmr === 'visit') ctx.plan.visitIds.add(row.id);
  if (shape.table.globalEmr === 'entry' && typeof row.visitId === 'string')
    ctx.plan.visitIds.add(row.visitId);
}

/** The synced table server-raised alerts go to, which the ward's workstations pull. */
const ALERTS_TABLE = 'clinical_alerts';

/** A synced clinical_alerts row the ward will see, raised by the server itself. */
export function raiseAlert(
  ctx: DecideContext,
  mutation: Mutation,
  kind: string,
  refs: { visitId: unknown; patientId: unknown },
  details: Record<string, unknown>,
) {
  const shape = ctx.shapes.get(ALERTS_TABLE);
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
    details: {
      ...details,
      mutationId: mutation.mutationId,
      deviceId: ctx.device.id,
      ...(ctx.device.name ? { deviceName: ctx.device.name } : {}),
    },
    acknowledgedBy: null,
    acknowledgedAt: null,
  };
  writeRow(ctx, shape, row, {
    isNew: true,
    changedFields: Object.keys(shape.table.fields.shape),
    mutationId: null,
    userId: mutation.userId,
  });
}

/** The server's record of values that lost, kept so nothing is silently dropped. */
export function conflictRecord(
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

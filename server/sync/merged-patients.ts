/**
 * Patient merges on the server (issue 13, docs/SYNC.md "Merged patient records"). A merge is an
 * insert into the synced `patient_merges` table; when the server takes it, everything that
 * belongs to the merged record (every row whose `patientId` points at it, in any synced table)
 * moves to the survivor, and the merged record is marked `mergedIntoId`. The record itself stays,
 * so its MRN still finds the survivor; a change that arrives later naming it, from a workstation
 * that had not heard of the merge, is filed under the survivor rather than lost or refused.
 */
import { belongsToPatient } from '../../shared/catalog';
import type { SyncedTable } from '../../shared/catalog/table';
import type { Mutation, MutationResult, Reason, Warning } from '../../shared/protocol';
import { ALERTS, DUPLICATE_ALERT, MERGE_MARK, PATIENTS } from './merge-state';
import type { PreparedMutation } from './prepare';
import { conflictRecord, writeRow, type DecideContext } from './plan';
import { rowKey as key, type WireRow } from './rows';

const MERGED_WARNING: Warning = {
  code: 'merged_record',
  message:
    "This patient's record had been merged into another; the change was filed under the surviving record.",
};

function addWarning(result: MutationResult, warning: Warning) {
  result.warnings = [...(result.warnings ?? []), warning];
}

/**
 * Files a new row, or a change of its patient, under the survivor when the record it names was
 * merged meanwhile. Runs before any other decision, so permissions and checks see the survivor.
 */
export function redirectToSurvivor(
  ctx: DecideContext,
  item: Extract<PreparedMutation, { ok: true }>,
): boolean {
  if (!belongsToPatient(item.shape.table)) return false;
  const named = item.data.patientId;
  const survivor = typeof named === 'string' ? ctx.state.mergedInto.get(named) : undefined;
  if (survivor === undefined) return false;
  item.data.patientId = survivor;
  return true;
}

/** Adds the warning that says a change was filed under the survivor. */
export function warnRedirected(result: MutationResult) {
  if (result.status === 'applied' || result.status === 'conflict')
    addWarning(result, MERGED_WARNING);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Writes a new version of a row the server itself changes on behalf of `mutation`'s author. */
function changeRow(
  ctx: DecideContext,
  table: string,
  current: WireRow,
  changes: Record<string, unknown>,
  mutation: Mutation,
): WireRow {
  const shape = ctx.shapes.get(table);
  if (!shape) throw new Error(`merge: no table ${table}`);
  const row: WireRow = {
    ...current,
    ...changes,
    version: current.version + 1,
    updatedAt: ctx.now.toISOString(),
    updatedBy: mutation.userId,
  };
  writeRow(ctx, shape, row, {
    isNew: false,
    changedFields: Object.keys(changes),
    mutationId: mutation.mutationId,
    userId: mutation.userId,
  });
  return row;
}

const resolve = (ctx: DecideContext, id: unknown): string =>
  typeof id === 'string' ? (ctx.state.mergedInto.get(id) ?? id) : '';

/** A merge names two live records of this hospital (after following earlier merges). */
export function refuseMerge(ctx: DecideContext, changes: Record<string, unknown>): Reason | null {
  for (const id of [
    resolve(ctx, changes.survivorPatientId),
    resolve(ctx, changes.mergedPatientId),
  ]) {
    const patient = ctx.state.rows.get(key(PATIENTS, id));
    if (!patient || patient.deletedAt !== null) {
      return { code: 'not_found', message: 'One of the two patient records is not on the server.' };
    }
    if (patient.hospitalId !== ctx.device.hospitalId) {
      return { code: 'forbidden', message: 'Only records of this hospital can be merged.' };
    }
  }
  return null;
}

interface Allergy {
  substance: string;
}

/** The survivor's allergies plus any the merged record adds: an allergy is never dropped. */
function combinedAllergies(kept: unknown, added: unknown): unknown[] | null {
  const own = Array.isArray(kept) ? (kept as Allergy[]) : [];
  const known = new Set(own.map((allergy) => allergy.substance.toLowerCase()));
  const extra = (Array.isArray(added) ? (added as Allergy[]) : []).filter(
    (allergy) => !known.has(allergy.substance.toLowerCase()),
  );
  return extra.length === 0 ? null : [...own, ...extra];
}

/** The survivor keeps its own values; only what it lacks comes from the merged record. */
function survivorChanges(table: SyncedTable, survivor: WireRow, merged: WireRow) {
  const changes: Record<string, unknown> = {};
  const allergies = combinedAllergies(survivor.allergies, merged.allergies);
  if (allergies) changes.allergies = allergies;
  for (const [field, column] of Object.entries(table.columns)) {
    if (!column.spec.nullable || column.spec.references || field === MERGE_MARK) continue;
    if (survivor[field] === null && merged[field] !== null && merged[field] !== undefined)
      changes[field] = merged[field];
  }
  return changes;
}

/**
 * Carries out a merge (`patient_merges` insert): the merged record is marked, records merged
 * into it earlier now point at the survivor too, every row belonging to it moves to the
 * survivor, and an open duplicate alert between the two is answered by the merge.
 */
export function applyPatientMerge(
  ctx: DecideContext,
  mutation: Mutation,
  row: WireRow,
  result: MutationResult,
) {
  const survivorId = resolve(ctx, row.survivorPatientId);
  const mergedId = resolve(ctx, row.mergedPatientId);
  const patients = ctx.shapes.get(PATIENTS)?.table;
  const survivor = ctx.state.rows.get(key(PATIENTS, survivorId));
  const merged = ctx.state.rows.get(key(PATIENTS, mergedId));
  if (survivorId === mergedId) {
    addWarning(result, {
      code: 'merged_record',
      message: 'These two records had already been merged into one; nothing more was moved.',
    });
    return;
  }
  if (!patients || !survivor || !merged) return;
  const fill = survivorChanges(patients, survivor, merged);
  if (Object.keys(fill).length > 0) changeRow(ctx, PATIENTS, survivor, fill, mutation);
  const pending: [string, WireRow, Record<string, unknown>][] = [];
  for (const [rowKeyText, current] of ctx.state.rows) {
    const table = rowKeyText.slice(0, rowKeyText.indexOf(':'));
    const shape = ctx.shapes.get(table);
    if (!shape) continue;
    const changes: Record<string, unknown> = {};
    if (table === PATIENTS && (current.id === mergedId || current[MERGE_MARK] === mergedId))
      changes[MERGE_MARK] = survivorId;
    if (belongsToPatient(shape.table) && current.patientId === mergedId)
      changes.patientId = survivorId;
    if (
      table === ALERTS &&
      current.kind === DUPLICATE_ALERT &&
      current.acknowledgedAt === null &&
      answersDuplicate(current, survivorId, mergedId)
    ) {
      changes.acknowledgedBy = mutation.userId;
      changes.acknowledgedAt = ctx.now.toISOString();
    }
    if (Object.keys(changes).length > 0) pending.push([table, current, changes]);
  }
  for (const [table, current, changes] of pending)
    changeRow(ctx, table, current, changes, mutation);
  for (const [from, to] of ctx.state.mergedInto)
    if (to === mergedId) ctx.state.mergedInto.set(from, survivorId);
  ctx.state.mergedInto.set(mergedId, survivorId);
}

function answersDuplicate(alert: WireRow, survivorId: string, mergedId: string): boolean {
  const details = alert.details as { matchingPatientId?: unknown } | null;
  const pair = new Set([alert.patientId, details?.matchingPatientId]);
  return pair.has(survivorId) && pair.has(mergedId);
}

/** The merge mark is set by a merge only, never typed on a workstation. */
export function refuseMergeMark(changes: Record<string, unknown>): Reason | null {
  if (changes[MERGE_MARK] === undefined || changes[MERGE_MARK] === null) return null;
  return {
    code: 'validation',
    message: `${MERGE_MARK}: a record is marked as merged only by a merge of two records.`,
  };
}

/**
 * A late edit of a merged record (a workstation that had not heard of the merge) is kept on the
 * merged record and copied to the survivor: an allergy is added there, and any other field is
 * set where the survivor still had what the editor replaced, or nothing. Where the survivor has
 * another value, it keeps it and the server's conflict record keeps the edit.
 */
export function copyEditToSurvivor(
  ctx: DecideContext,
  mutation: Mutation,
  row: WireRow,
  result: MutationResult,
) {
  const survivorId = row[MERGE_MARK];
  if (typeof survivorId !== 'string') return;
  const before = ctx.state.rows.get(key(PATIENTS, row.id));
  const survivor = ctx.state.rows.get(key(PATIENTS, survivorId));
  const patients = ctx.shapes.get(PATIENTS)?.table;
  if (!before || !survivor || !patients) return;
  const copy: Record<string, unknown> = {};
  const kept: Record<string, unknown> = {};
  for (const field of Object.keys(patients.columns)) {
    if (field === MERGE_MARK || same(row[field], before[field])) continue;
    if (field === 'allergies') {
      const allergies = combinedAllergies(survivor.allergies, row.allergies);
      if (allergies) copy.allergies = allergies;
    } else if (survivor[field] === null || same(survivor[field], before[field])) {
      copy[field] = row[field];
    } else if (!same(survivor[field], row[field])) {
      kept[field] = row[field];
    }
  }
  if (Object.keys(copy).length > 0) changeRow(ctx, PATIENTS, survivor, copy, mutation);
  if (Object.keys(kept).length > 0) {
    const survivorValues = Object.fromEntries(Object.keys(kept).map((f) => [f, survivor[f]]));
    ctx.plan.conflicts.push(
      conflictRecord(ctx, mutation, 'concurrent_edit', kept, survivorValues, survivor.version),
    );
  }
  addWarning(result, {
    code: 'merged_record',
    message:
      Object.keys(kept).length === 0
        ? "This patient's record had been merged into another; the change was copied to the surviving record."
        : `This patient's record had been merged into another; the surviving record kept its own ${Object.keys(kept).join(', ')}.`,
  });
}

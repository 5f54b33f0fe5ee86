/**
 * The bedside clashes the server looks for when offline work meets: the catalog names which
 * tables each check runs on (`serverChecks`), server/sync/server-checks.ts wires them in.
 */
import type { Mutation, MutationResult, Reason } from '../../shared/protocol';
import { doseKey, identityKey, rowKey, type KnownStay } from './batch-state';
import { conflictRecord, raiseAlert, type DecideContext } from './plan';
import type { WireRow } from './rows';

/** A bed holds one admitted visit: the later admission is kept, without the bed, as a conflict. */
export function applyBedRule(
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
export function applyDoubleDoseRule(
  ctx: DecideContext,
  mutation: Mutation,
  row: WireRow,
  result: MutationResult,
) {
  if (row.status !== 'given' || row.enteredInErrorId !== null) return;
  const key = doseKey(row.prescriptionId, row.scheduledFor);
  const earlier = ctx.state.givenDoses.get(key);
  if (!earlier) {
    ctx.state.givenDoses.set(key, {
      administrationId: row.id,
      deviceName: ctx.device.name ?? null,
    });
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
      // The nurse who charted second is told who charted first, when and where.
      earlierAdministrationId: earlier.administrationId,
      ...(earlier.deviceName ? { earlierDeviceName: earlier.deviceName } : {}),
    },
  );
}

/** Two desks registering the same person offline: both kept, and the ward is told. */
export function applyDuplicatePatientRule(
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

/** The synced table of stays: an entry's `visitId` points into it. */
const VISITS = 'visits';

/** A stay of this hospital, as the batch now has it (a discharge earlier in the batch counts). */
function stayOf(ctx: DecideContext, visitId: unknown): KnownStay | undefined {
  if (typeof visitId !== 'string') return undefined;
  const row = ctx.state.rows.get(rowKey(VISITS, visitId));
  if (row && row.hospitalId === ctx.device.hospitalId && typeof row.patientId === 'string') {
    return {
      patientId: row.patientId,
      status: String(row.status),
      dischargedAt: typeof row.dischargedAt === 'string' ? row.dischargedAt : null,
    };
  }
  return ctx.state.stays.get(visitId);
}

/**
 * An entry for a stay already discharged (a workstation that was offline): it is kept and joins
 * the discharged stay's global EMR record, but the discharge summary was written without it, so
 * the ward is told.
 */
export function applyLateEntryRule(ctx: DecideContext, mutation: Mutation, row: WireRow) {
  const stay = stayOf(ctx, row.visitId);
  if (stay?.status !== 'discharged') return;
  raiseAlert(
    ctx,
    mutation,
    'late_entry_after_discharge',
    { visitId: row.visitId, patientId: stay.patientId },
    {
      table: mutation.table,
      entryId: row.id,
      enteredAt: mutation.clientTime,
      ...(stay.dischargedAt ? { dischargedAt: stay.dischargedAt } : {}),
    },
  );
}

/**
 * Codes that say the change is not proven to come from the person it names: no clinical alert
 * is raised on the word of an unverified change.
 */
const UNPROVEN: ReadonlySet<string> = new Set(['bad_signature', 'sequence_reused']);

/**
 * The stay and patient a refused change was about, when they are records of this hospital: an
 * alert never points at a record another hospital holds, nor at one that does not exist.
 */
function refusedRefs(ctx: DecideContext, mutation: Mutation) {
  const current = ctx.state.rows.get(rowKey(mutation.table, mutation.id));
  const own = current?.hospitalId === ctx.device.hospitalId ? current : undefined;
  const isStay = ctx.shapes.get(mutation.table)?.table.globalEmr === 'visit';
  const visitId = isStay ? mutation.id : (own?.visitId ?? mutation.data.visitId);
  const stay = stayOf(ctx, visitId);
  const patientId = own?.patientId ?? mutation.data.patientId;
  const knownPatient =
    typeof patientId === 'string' &&
    (own?.patientId === patientId || ctx.state.patients.has(patientId));
  return {
    visitId: stay ? visitId : null,
    patientId: stay?.patientId ?? (knownPatient ? patientId : null),
  };
}

/**
 * A change of clinical data the server refused: what happened at the bedside is not in the
 * hospital's record, so the ward is told as well as the workstation that sent it.
 */
export function alertRefusedChange(ctx: DecideContext, mutation: Mutation, reason: Reason) {
  if (UNPROVEN.has(reason.code)) return;
  raiseAlert(ctx, mutation, 'refused_clinical_change', refusedRefs(ctx, mutation), {
    table: mutation.table,
    rowId: mutation.id,
    op: mutation.op,
    reasonCode: reason.code,
    reasonMessage: reason.message,
    fields: Object.keys(mutation.data),
    madeAt: mutation.clientTime,
  });
}

/** The fields a person changes when acknowledging an alert; nothing else of it ever changes. */
const ACKNOWLEDGEMENT_FIELDS: ReadonlySet<string> = new Set([
  'acknowledgedBy',
  'acknowledgedAt',
  'acknowledgementNote',
]);

/** An alert is only acknowledged, in the name of the person who pushes the acknowledgement. */
export function refuseAlertChange(
  mutation: Mutation,
  changes: Record<string, unknown>,
): Reason | null {
  if (mutation.op !== 'update') return null;
  const other = Object.keys(changes).filter((field) => !ACKNOWLEDGEMENT_FIELDS.has(field));
  if (other.length > 0) {
    return {
      code: 'validation',
      message: `A clinical alert is only acknowledged; ${other.join(', ')} cannot be changed.`,
    };
  }
  if ('acknowledgedAt' in changes && changes.acknowledgedAt === null) {
    return { code: 'validation', message: 'An acknowledged alert cannot be reopened.' };
  }
  if ('acknowledgedBy' in changes && changes.acknowledgedBy !== mutation.userId) {
    return {
      code: 'forbidden',
      message: 'An alert is acknowledged by the person who acknowledges it, in their own name.',
    };
  }
  return null;
}

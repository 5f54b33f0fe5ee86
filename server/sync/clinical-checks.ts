/**
 * The bedside clashes the server looks for when offline work meets: the catalog names which
 * tables each check runs on (`serverChecks`), server/sync/server-checks.ts wires them in.
 */
import type { Mutation, MutationResult } from '../../shared/protocol';
import { doseKey, identityKey } from './batch-state';
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

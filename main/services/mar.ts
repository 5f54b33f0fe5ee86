/**
 * The medication administration record. One scheduled dose is given once: a second `given` for
 * the same prescription and scheduled time is refused here (the server, which sees several
 * workstations, flags what slips through offline as a possible double dose).
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { medicationAdministrations, patients, prescriptions, users } from '../../db/local/schema';
import { IdSchema } from '../../shared/schemas/common';
import { MedicationAdministrationFieldsSchema } from '../../shared/schemas/medications';
import { refuse } from '../errors';
import { requireCorrectable } from './corrections';
import { parseInput } from './validate';
import { writeClinical, type WriteBatch, type WriteContext } from './write-path';

const shape = MedicationAdministrationFieldsSchema.shape;
const withReason = (entry: { status: string; reason: string | null }) =>
  entry.status === 'given' || (entry.reason ?? '') !== '';
const REASON_RULE = { message: 'Say why the dose was held or refused', path: ['reason'] };

/**
 * The bedside check before a dose: the wristband scanned (what the scanner typed, compared with
 * the chart's patient here) or skipped with a reason. Left out only by callers that predate the
 * check; the dose modal always sends it.
 */
export const WristbandCheckInput = z.discriminatedUnion('check', [
  z.object({
    check: z.literal('scanned'),
    scanned: z.string().trim().min(1, 'Scan the wristband').max(200),
  }),
  z.object({
    check: z.literal('skipped'),
    reason: z.string().trim().min(1, 'Say why the wristband was not scanned').max(300),
  }),
]);
export type WristbandCheckInput = z.input<typeof WristbandCheckInput>;

export const RecordAdministrationInput = z
  .object({
    prescriptionId: IdSchema,
    scheduledFor: shape.scheduledFor,
    status: shape.status,
    reason: shape.reason.default(null),
    administeredAt: shape.administeredAt.optional(),
    wristband: WristbandCheckInput.optional(),
  })
  .refine(withReason, REASON_RULE);
export type RecordAdministrationInput = z.input<typeof RecordAdministrationInput>;

// `scheduledFor` moves an entry charted against the wrong due time to the right one; the wrong
// time is then owed again (issue 6: the ward board shows it due).
export const CorrectAdministrationInput = z
  .object({
    enteredInErrorId: IdSchema,
    status: shape.status,
    reason: shape.reason.default(null),
    scheduledFor: shape.scheduledFor.optional(),
  })
  .refine(withReason, REASON_RULE);

export function recordAdministration(context: WriteContext, input: RecordAdministrationInput) {
  const fields = parseInput(RecordAdministrationInput, input);
  return writeClinical(context, (batch) => {
    const prescription = batch.db
      .select()
      .from(prescriptions)
      .where(eq(prescriptions.id, fields.prescriptionId))
      .get();
    if (!prescription)
      refuse('not_found', 'That prescription does not exist on this workstation.', 'not_found');
    if (prescription.status !== 'active')
      refuse(
        'prescription_not_active',
        `${prescription.drug} is ${prescription.status}; no more doses can be charted.`,
      );
    if (fields.wristband?.check === 'scanned')
      refuseOtherPatientsWristband(batch, prescription.patientId, fields.wristband.scanned);
    if (fields.status === 'given') refuseSecondDose(batch, prescription, fields.scheduledFor, null);
    return batch.insert(
      medicationAdministrations,
      {
        prescriptionId: prescription.id,
        visitId: prescription.visitId,
        patientId: prescription.patientId,
        scheduledFor: new Date(fields.scheduledFor).toISOString(),
        status: fields.status,
        reason: fields.reason,
        administeredAt: fields.administeredAt ?? batch.now,
        administeredBy: batch.actor.userId,
        enteredInErrorId: null,
        wristbandCheck: fields.wristband?.check ?? null,
        wristbandSkipReason: fields.wristband?.check === 'skipped' ? fields.wristband.reason : null,
      },
      { action: `mar.${fields.status}` },
    );
  });
}

/** Replaces a charted dose entered in error (e.g. charted against the wrong time). */
export function correctAdministration(
  context: WriteContext,
  input: z.input<typeof CorrectAdministrationInput>,
) {
  const fields = parseInput(CorrectAdministrationInput, input);
  return writeClinical(context, (batch) => {
    const original = requireCorrectable(batch, medicationAdministrations, fields.enteredInErrorId);
    const { prescriptionId } = original;
    const scheduledFor = fields.scheduledFor
      ? new Date(fields.scheduledFor).toISOString()
      : original.scheduledFor;
    if (fields.status === 'given')
      refuseSecondDose(
        batch,
        { id: prescriptionId, drug: '' },
        scheduledFor,
        fields.enteredInErrorId,
      );
    return batch.insert(
      medicationAdministrations,
      {
        prescriptionId,
        visitId: original.visitId,
        patientId: original.patientId,
        scheduledFor,
        status: fields.status,
        reason: fields.reason,
        administeredAt: original.administeredAt,
        administeredBy: batch.actor.userId,
        enteredInErrorId: fields.enteredInErrorId,
      },
      { action: 'mar.correct' },
    );
  });
}

function refuseSecondDose(
  batch: WriteBatch,
  prescription: { id: string; drug: string },
  scheduledFor: string,
  replacing: string | null,
): void {
  const m = medicationAdministrations;
  const given = batch.db
    .select({ id: m.id, administeredAt: m.administeredAt, by: users.fullName })
    .from(m)
    .leftJoin(users, eq(users.id, m.administeredBy))
    .where(
      and(
        eq(m.prescriptionId, prescription.id),
        eq(m.scheduledFor, new Date(scheduledFor).toISOString()),
        eq(m.status, 'given'),
        isNull(m.deletedAt),
        sql`${m.id} <> ${replacing ?? ''}`,
        sql`not exists (select 1 from medication_administrations c where c.entered_in_error_id = ${m.id})`,
      ),
    )
    .get();
  if (given) {
    refuse(
      'already_given',
      `This dose${prescription.drug ? ` of ${prescription.drug}` : ''} due ${scheduledFor.slice(11, 16)} was already given` +
        `${given.by ? ` by ${given.by}` : ''} at ${given.administeredAt.slice(11, 16)}. Do not give it again.`,
    );
  }
}

/** What a wristband's barcode or QR code carries: the MRN, as the scanner typed it. */
export function wristbandMrn(scanned: string): string {
  return scanned.trim().toUpperCase();
}

/**
 * The right patient before the right drug: a wristband of anyone else stops the dose. The
 * sentence names both MRNs so the nurse can see which band is on the wrong chart (or the wrong
 * patient), and never a name the scanner may have read off another patient's band.
 */
function refuseOtherPatientsWristband(batch: WriteBatch, patientId: string, scanned: string): void {
  const patient = batch.db
    .select({ mrn: patients.mrn })
    .from(patients)
    .where(eq(patients.id, patientId))
    .get();
  const mrn = wristbandMrn(scanned);
  if (patient && patient.mrn === mrn) return;
  refuse(
    'wristband_mismatch',
    `Wrong patient: the wristband scanned reads ${mrn}, but this chart is MRN ${patient?.mrn ?? 'unknown'}. ` +
      'Do not give this dose. Check the patient and the chart, then scan again.',
  );
}

/**
 * The medication administration record. One scheduled dose is given once: a second `given` for
 * the same prescription and scheduled time is refused here (the server, which sees several
 * workstations, flags what slips through offline as a possible double dose).
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { medicationAdministrations, prescriptions, users } from '../../db/local/schema';
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

export const RecordAdministrationInput = z
  .object({
    prescriptionId: IdSchema,
    scheduledFor: shape.scheduledFor,
    status: shape.status,
    reason: shape.reason.default(null),
    administeredAt: shape.administeredAt.optional(),
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

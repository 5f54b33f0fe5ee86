import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { prescriptions } from '../../db/local/schema';
import { IdSchema, textField } from '../../shared/schemas/common';
import { PrescriptionFieldsSchema } from '../../shared/schemas/medications';
import { refuse } from '../errors';
import { parseInput } from './validate';
import { loadVisit, requireAdmitted } from './visits';
import { writeClinical, type WriteBatch, type WriteContext } from './write-path';

const shape = PrescriptionFieldsSchema.shape;
export const PrescribeInput = z.object({
  visitId: IdSchema,
  drug: shape.drug,
  dose: shape.dose,
  frequency: shape.frequency,
  route: shape.route,
  durationDays: shape.durationDays.default(null),
  startsAt: shape.startsAt.optional(),
  notes: shape.notes.default(null),
});
export type PrescribeInput = z.input<typeof PrescribeInput>;

export const DiscontinuePrescriptionInput = z.object({
  prescriptionId: IdSchema,
  reason: textField(500),
});

export function prescribe(context: WriteContext, input: PrescribeInput) {
  const fields = parseInput(PrescribeInput, input);
  return writeClinical(context, (batch) => {
    const visit = loadVisit(batch, fields.visitId);
    requireAdmitted(visit);
    const startsAt = fields.startsAt ?? batch.now;
    const endsAt = fields.durationDays
      ? new Date(Date.parse(startsAt) + fields.durationDays * 86_400_000).toISOString()
      : null;
    return batch.insert(
      prescriptions,
      {
        ...fields,
        patientId: visit.patientId,
        startsAt,
        endsAt,
        status: 'active',
        prescribedBy: batch.actor.userId,
      },
      { action: 'prescription.create' },
    );
  });
}

export function discontinuePrescription(
  context: WriteContext,
  input: z.input<typeof DiscontinuePrescriptionInput>,
) {
  const fields = parseInput(DiscontinuePrescriptionInput, input);
  return writeClinical(context, (batch) => {
    const current = batch.read(prescriptions, fields.prescriptionId);
    if (current.status !== 'active')
      refuse('invalid_transition', `This prescription is already ${current.status}.`);
    return batch.update(
      prescriptions,
      fields.prescriptionId,
      { status: 'discontinued', endsAt: batch.now, notes: fields.reason },
      { action: 'prescription.discontinue' },
    );
  });
}

/**
 * Inpatient orders end with the stay: without this a discharged patient's prescriptions stay
 * "active", keep showing on the pharmacy's list and keep producing doses nobody will give.
 */
export function completeStayPrescriptions(batch: WriteBatch, visitId: string): void {
  const stillActive = batch.db
    .select({ id: prescriptions.id })
    .from(prescriptions)
    .where(
      and(
        eq(prescriptions.visitId, visitId),
        eq(prescriptions.status, 'active'),
        isNull(prescriptions.deletedAt),
      ),
    )
    .all();
  for (const { id } of stillActive) {
    batch.update(
      prescriptions,
      id,
      { status: 'completed', endsAt: batch.now },
      { action: 'prescription.complete' },
    );
  }
}

import { z } from 'zod';
import { vitals } from '../../db/local/schema';
import { IdSchema } from '../../shared/schemas/common';
import { VitalsFieldsSchema, type VitalSign } from '../../shared/schemas/vitals';
import { computeBmi, flagAbnormal } from '../../shared/vital-ranges';
import { refuse } from '../errors';
import { requireCorrectable } from './corrections';
import { parseInput } from './validate';
import { loadVisit, requireAdmitted } from './visits';
import { writeClinical, type WriteBatch, type WriteContext } from './write-path';

const SIGNS: VitalSign[] = [
  'temperatureC',
  'heartRate',
  'systolic',
  'diastolic',
  'respiratoryRate',
  'spo2',
  'weightKg',
  'heightCm',
];
const reading = <S extends z.ZodType>(schema: S) => schema.optional().transform((v) => v ?? null);
const shape = VitalsFieldsSchema.shape;

export const RecordVitalsInput = z.object({
  visitId: IdSchema,
  recordedAt: shape.recordedAt.optional(),
  temperatureC: reading(shape.temperatureC),
  heartRate: reading(shape.heartRate),
  systolic: reading(shape.systolic),
  diastolic: reading(shape.diastolic),
  respiratoryRate: reading(shape.respiratoryRate),
  spo2: reading(shape.spo2),
  weightKg: reading(shape.weightKg),
  heightCm: reading(shape.heightCm),
  notes: reading(shape.notes),
});
export type RecordVitalsInput = z.input<typeof RecordVitalsInput>;

export const CorrectVitalsInput = RecordVitalsInput.omit({ visitId: true }).extend({
  enteredInErrorId: IdSchema,
});
export type CorrectVitalsInput = z.input<typeof CorrectVitalsInput>;

/** Records a set of observations; BMI is computed and out-of-range values flagged, never refused. */
export function recordVitals(context: WriteContext, input: RecordVitalsInput) {
  const fields = parseInput(RecordVitalsInput, input);
  return writeClinical(context, (batch) => insertVitals(batch, fields, null));
}

/** Marks an entry as entered in error by recording the right values in its place. */
export function correctVitals(context: WriteContext, input: CorrectVitalsInput) {
  const { enteredInErrorId, ...fields } = parseInput(CorrectVitalsInput, input);
  return writeClinical(context, (batch) => {
    const original = requireCorrectable(batch, vitals, enteredInErrorId);
    // The corrected values were measured when the original was: keep its time unless told otherwise.
    const recordedAt = fields.recordedAt ?? original.recordedAt;
    return insertVitals(
      batch,
      { ...fields, recordedAt, visitId: original.visitId },
      enteredInErrorId,
    );
  });
}

function insertVitals(
  batch: WriteBatch,
  fields: z.output<typeof RecordVitalsInput>,
  enteredInErrorId: string | null,
) {
  if (SIGNS.every((sign) => fields[sign] === null)) {
    refuse(
      'no_readings',
      'Enter at least one reading (temperature, pulse, blood pressure, breathing, SpO2, weight or height).',
      'invalid',
    );
  }
  const visit = loadVisit(batch, fields.visitId);
  requireAdmitted(visit);
  return batch.insert(
    vitals,
    {
      ...fields,
      patientId: visit.patientId,
      recordedAt: fields.recordedAt ?? batch.now,
      bmi: computeBmi(fields.weightKg, fields.heightCm),
      abnormal: flagAbnormal(fields),
      recordedBy: batch.actor.userId,
      enteredInErrorId,
    },
    { action: enteredInErrorId ? 'vitals.correct' : 'vitals.record' },
  );
}

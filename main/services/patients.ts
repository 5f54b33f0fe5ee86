import type { z } from 'zod';
import { patients } from '../../db/local/schema';
import { PatientFieldsSchema } from '../../shared/schemas/patients';
import { takeMrn } from './mrn-pool';
import { parseInput } from './validate';
import { writeClinical, type WriteContext } from './write-path';

const optional = <S extends z.ZodType>(schema: S) => schema.optional().transform((v) => v ?? null);

export const RegisterPatientInput = PatientFieldsSchema.omit({
  mrn: true,
  mergedIntoId: true,
}).extend({
  phone: optional(PatientFieldsSchema.shape.phone),
  email: optional(PatientFieldsSchema.shape.email),
  address: optional(PatientFieldsSchema.shape.address),
  emergencyContactName: optional(PatientFieldsSchema.shape.emergencyContactName),
  emergencyContactPhone: optional(PatientFieldsSchema.shape.emergencyContactPhone),
  allergies: PatientFieldsSchema.shape.allergies.default([]),
});
export type RegisterPatientInput = z.input<typeof RegisterPatientInput>;

/** Registers a patient under the next MRN this workstation holds from the server's reservation. */
export function registerPatient(context: WriteContext, input: RegisterPatientInput) {
  const fields = parseInput(RegisterPatientInput, input);
  return writeClinical(context, (batch) => {
    const mrn = takeMrn(batch);
    return batch.insert(patients, { ...fields, mrn }, { action: 'patient.register' });
  });
}

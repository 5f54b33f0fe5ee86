import { z } from 'zod';
import { DateSchema, SyncColumnsSchema, textField } from './common';

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;

export const AllergySchema = z.object({
  substance: textField(120),
  reaction: z.string().trim().max(200).optional(),
  severity: z.enum(['mild', 'moderate', 'severe']).optional(),
});
export type Allergy = z.infer<typeof AllergySchema>;

const optionalText = (max: number) => z.string().trim().max(max).nullable();

export const PatientFieldsSchema = z.object({
  mrn: z
    .string()
    .trim()
    .regex(/^[A-Z0-9-]{3,32}$/, 'An MRN is 3–32 capital letters, digits or dashes'),
  firstName: textField(80),
  lastName: textField(80),
  dateOfBirth: DateSchema.refine(
    (value) => value >= '1900-01-01' && value <= new Date().toISOString().slice(0, 10),
    'Date of birth must be between 1900 and today',
  ),
  sex: z.enum(SEXES),
  phone: optionalText(40),
  email: z.email().max(254).nullable(),
  address: optionalText(300),
  emergencyContactName: optionalText(160),
  emergencyContactPhone: optionalText(40),
  allergies: z.array(AllergySchema).max(100),
});
export const PatientSchema = SyncColumnsSchema.extend(PatientFieldsSchema.shape);
export type Patient = z.infer<typeof PatientSchema>;

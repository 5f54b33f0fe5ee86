import type { z } from 'zod';
import { patients } from '../catalog/care';
import { SyncColumnsSchema } from './common';

export { AllergySchema, SEXES, type Allergy } from '../catalog/care';

// Derived from the catalog entry (shared/catalog/care.ts).
export const PatientFieldsSchema = patients.fields;
export const PatientSchema = SyncColumnsSchema.extend(PatientFieldsSchema.shape);
export type Patient = z.infer<typeof PatientSchema>;

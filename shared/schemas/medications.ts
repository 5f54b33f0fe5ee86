import type { z } from 'zod';
import { medicationAdministrations, prescriptions } from '../catalog/orders';
import { SyncColumnsSchema } from './common';

export { ADMINISTRATION_STATUSES, PRESCRIPTION_STATUSES, ROUTES } from '../catalog/orders';

// Derived from the catalog entries (shared/catalog/orders.ts).
export const PrescriptionFieldsSchema = prescriptions.fields;
export const PrescriptionSchema = SyncColumnsSchema.extend(PrescriptionFieldsSchema.shape);
export type Prescription = z.infer<typeof PrescriptionSchema>;

export const MedicationAdministrationFieldsSchema = medicationAdministrations.fields;

/** A held or refused dose must say why: the next shift needs to know. */
export const MedicationAdministrationEntrySchema = medicationAdministrations.entrySchema;
export const MedicationAdministrationSchema = SyncColumnsSchema.extend(
  MedicationAdministrationFieldsSchema.shape,
);
export type MedicationAdministration = z.infer<typeof MedicationAdministrationSchema>;

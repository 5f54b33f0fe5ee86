import { z } from 'zod';
import { IdSchema, SyncColumnsSchema, TimestampSchema, textField } from './common';

export const ROUTES = ['oral', 'iv', 'im', 'sc', 'topical', 'inhaled', 'rectal', 'other'] as const;
export const PRESCRIPTION_STATUSES = ['active', 'completed', 'discontinued'] as const;
export const ADMINISTRATION_STATUSES = ['given', 'held', 'refused'] as const;

export const PrescriptionFieldsSchema = z.object({
  visitId: IdSchema.nullable(),
  patientId: IdSchema,
  drug: textField(160),
  dose: textField(60),
  frequency: textField(60),
  route: z.enum(ROUTES),
  durationDays: z.number().int().min(1).max(365).nullable(),
  startsAt: TimestampSchema,
  endsAt: TimestampSchema.nullable(),
  status: z.enum(PRESCRIPTION_STATUSES),
  prescribedBy: IdSchema,
  notes: z.string().trim().max(2000).nullable(),
});
export const PrescriptionSchema = SyncColumnsSchema.extend(PrescriptionFieldsSchema.shape);
export type Prescription = z.infer<typeof PrescriptionSchema>;

export const MedicationAdministrationFieldsSchema = z.object({
  prescriptionId: IdSchema,
  visitId: IdSchema.nullable(),
  patientId: IdSchema,
  scheduledFor: TimestampSchema,
  status: z.enum(ADMINISTRATION_STATUSES),
  reason: z.string().trim().max(500).nullable(),
  administeredAt: TimestampSchema,
  administeredBy: IdSchema,
  enteredInErrorId: IdSchema.nullable(),
});

/** A held or refused dose must say why: the next shift needs to know. */
export const MedicationAdministrationEntrySchema = MedicationAdministrationFieldsSchema.refine(
  (entry) => entry.status === 'given' || (entry.reason ?? '') !== '',
  { message: 'Say why the dose was held or refused', path: ['reason'] },
);
export const MedicationAdministrationSchema = SyncColumnsSchema.extend(
  MedicationAdministrationFieldsSchema.shape,
);
export type MedicationAdministration = z.infer<typeof MedicationAdministrationSchema>;

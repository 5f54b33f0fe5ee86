import { z } from 'zod';
import { IdSchema, SyncColumnsSchema, TimestampSchema, textField } from './common';

export const NURSE_LOG_KINDS = [
  'observation',
  'care_activity',
  'incident',
  'note',
  'handoff',
] as const;

export const NurseLogFieldsSchema = z.object({
  visitId: IdSchema,
  patientId: IdSchema,
  kind: z.enum(NURSE_LOG_KINDS),
  body: textField(10_000),
  recordedAt: TimestampSchema,
  recordedBy: IdSchema,
  enteredInErrorId: IdSchema.nullable(),
});
export const NurseLogSchema = SyncColumnsSchema.extend(NurseLogFieldsSchema.shape);
export type NurseLog = z.infer<typeof NurseLogSchema>;

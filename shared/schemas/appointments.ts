import { z } from 'zod';
import { IdSchema, SyncColumnsSchema, TimestampSchema } from './common';

export const APPOINTMENT_STATUSES = [
  'scheduled',
  'checked_in',
  'completed',
  'cancelled',
  'no_show',
] as const;

export const AppointmentFieldsSchema = z.object({
  patientId: IdSchema,
  doctorId: IdSchema,
  scheduledAt: TimestampSchema,
  durationMinutes: z.number().int().min(5).max(480),
  status: z.enum(APPOINTMENT_STATUSES),
  reason: z.string().trim().max(500).nullable(),
  checkedInAt: TimestampSchema.nullable(),
  cancellationReason: z.string().trim().max(500).nullable(),
});
export const AppointmentSchema = SyncColumnsSchema.extend(AppointmentFieldsSchema.shape);
export type Appointment = z.infer<typeof AppointmentSchema>;

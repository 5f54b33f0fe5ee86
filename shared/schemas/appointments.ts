import type { z } from 'zod';
import { appointments } from '../catalog/scheduling';
import { SyncColumnsSchema } from './common';

export { APPOINTMENT_STATUSES } from '../catalog/scheduling';

// Derived from the catalog entry (shared/catalog/scheduling.ts).
export const AppointmentFieldsSchema = appointments.fields;
export const AppointmentSchema = SyncColumnsSchema.extend(AppointmentFieldsSchema.shape);
export type Appointment = z.infer<typeof AppointmentSchema>;

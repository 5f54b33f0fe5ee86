import { z } from 'zod';
import { IdSchema, SyncColumnsSchema, TimestampSchema } from './common';

export const VISIT_STATUSES = ['admitted', 'discharged', 'cancelled'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

export const VisitFieldsSchema = z.object({
  patientId: IdSchema,
  wardId: IdSchema,
  bedId: IdSchema.nullable(),
  attendingDoctorId: IdSchema.nullable(),
  status: z.enum(VISIT_STATUSES),
  admissionReason: z.string().trim().max(1000).nullable(),
  admittedAt: TimestampSchema,
  dischargedAt: TimestampSchema.nullable(),
  dischargeSummary: z.string().trim().max(20_000).nullable(),
});
export const VisitSchema = SyncColumnsSchema.extend(VisitFieldsSchema.shape);
export type Visit = z.infer<typeof VisitSchema>;

/** Allowed status changes of a visit. A discharge or cancellation is final. */
export const VISIT_TRANSITIONS: Record<VisitStatus, readonly VisitStatus[]> = {
  admitted: ['discharged', 'cancelled'],
  discharged: [],
  cancelled: [],
};

import { z } from 'zod';
import { IdSchema, SyncColumnsSchema, TimestampSchema, textField } from './common';

export const LAB_TEST_STATUSES = [
  'pending',
  'accepted',
  'in_progress',
  'completed',
  'cancelled',
] as const;
export type LabTestStatus = (typeof LAB_TEST_STATUSES)[number];
export const LAB_URGENCIES = ['routine', 'urgent', 'stat'] as const;

/** The lab workflow. Completed and cancelled are final: a result is corrected by a new order. */
export const LAB_TEST_TRANSITIONS: Record<LabTestStatus, readonly LabTestStatus[]> = {
  pending: ['accepted', 'cancelled'],
  accepted: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export const LabTestFieldsSchema = z.object({
  visitId: IdSchema.nullable(),
  patientId: IdSchema,
  testCode: z
    .string()
    .trim()
    .regex(/^[A-Z0-9_-]{2,24}$/, 'Use 2–24 capital letters, digits, - or _'),
  testName: textField(160),
  urgency: z.enum(LAB_URGENCIES),
  status: z.enum(LAB_TEST_STATUSES),
  orderedBy: IdSchema,
  orderedAt: TimestampSchema,
  acceptedBy: IdSchema.nullable(),
  acceptedAt: TimestampSchema.nullable(),
  startedAt: TimestampSchema.nullable(),
  completedAt: TimestampSchema.nullable(),
  result: z.string().trim().max(20_000).nullable(),
  reportAttachment: z.string().trim().max(500).nullable(),
  cancellationReason: z.string().trim().max(500).nullable(),
});
export const LabTestSchema = SyncColumnsSchema.extend(LabTestFieldsSchema.shape);
export type LabTest = z.infer<typeof LabTestSchema>;

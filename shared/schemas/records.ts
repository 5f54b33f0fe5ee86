import { z } from 'zod';
import { IdSchema, SyncColumnsSchema, TimestampSchema, textField } from './common';

const JsonObjectSchema = z.record(z.string(), z.unknown());

export const EmrLocalFieldsSchema = z.object({
  visitId: IdSchema,
  patientId: IdSchema,
  kind: z.enum(['visit_record', 'assessment', 'procedure', 'imaging', 'other']),
  body: JsonObjectSchema,
});
export const EmrLocalSchema = SyncColumnsSchema.extend(EmrLocalFieldsSchema.shape);
export type EmrLocal = z.infer<typeof EmrLocalSchema>;

export const AI_DRAFT_STATUSES = ['draft', 'approved', 'rejected'] as const;
export const AiDraftFieldsSchema = z.object({
  kind: z.enum(['discharge_summary', 'handoff_summary']),
  visitId: IdSchema,
  patientId: IdSchema,
  body: textField(20_000),
  status: z.enum(AI_DRAFT_STATUSES),
  reviewedBy: IdSchema.nullable(),
  reviewedAt: TimestampSchema.nullable(),
});
export const AiDraftSchema = SyncColumnsSchema.extend(AiDraftFieldsSchema.shape);
export type AiDraft = z.infer<typeof AiDraftSchema>;

export const NOTIFICATION_CHANNELS = ['in_app', 'email', 'sms'] as const;
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;
export const NotificationFieldsSchema = z.object({
  channel: z.enum(NOTIFICATION_CHANNELS),
  recipientUserId: IdSchema.nullable(),
  subject: textField(200),
  body: textField(5000),
  status: z.enum(NOTIFICATION_STATUSES),
  retries: z.number().int().nonnegative(),
  lastError: z.string().max(1000).nullable(),
  sentAt: TimestampSchema.nullable(),
});
export const NotificationSchema = SyncColumnsSchema.extend(NotificationFieldsSchema.shape);
export type Notification = z.infer<typeof NotificationSchema>;

export const CLINICAL_ALERT_KINDS = [
  'possible_double_dose',
  'bed_conflict',
  'possible_duplicate_patient',
  'clock_skew',
] as const;
export const ClinicalAlertFieldsSchema = z.object({
  kind: z.enum(CLINICAL_ALERT_KINDS),
  visitId: IdSchema.nullable(),
  patientId: IdSchema.nullable(),
  details: JsonObjectSchema,
  acknowledgedBy: IdSchema.nullable(),
  acknowledgedAt: TimestampSchema.nullable(),
});
export const ClinicalAlertSchema = SyncColumnsSchema.extend(ClinicalAlertFieldsSchema.shape);
export type ClinicalAlert = z.infer<typeof ClinicalAlertSchema>;

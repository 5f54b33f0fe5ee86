import type { z } from 'zod';
import { aiDrafts, clinicalAlerts, emrLocal, notifications } from '../catalog/records';
import { SyncColumnsSchema } from './common';

export {
  AI_DRAFT_STATUSES,
  CLINICAL_ALERT_KINDS,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_STATUSES,
} from '../catalog/records';

// Derived from the catalog entries (shared/catalog/records.ts).
export const EmrLocalFieldsSchema = emrLocal.fields;
export const EmrLocalSchema = SyncColumnsSchema.extend(EmrLocalFieldsSchema.shape);
export type EmrLocal = z.infer<typeof EmrLocalSchema>;

export const AiDraftFieldsSchema = aiDrafts.fields;
export const AiDraftSchema = SyncColumnsSchema.extend(AiDraftFieldsSchema.shape);
export type AiDraft = z.infer<typeof AiDraftSchema>;

export const NotificationFieldsSchema = notifications.fields;
export const NotificationSchema = SyncColumnsSchema.extend(NotificationFieldsSchema.shape);
export type Notification = z.infer<typeof NotificationSchema>;

export const ClinicalAlertFieldsSchema = clinicalAlerts.fields;
export const ClinicalAlertSchema = SyncColumnsSchema.extend(ClinicalAlertFieldsSchema.shape);
export type ClinicalAlert = z.infer<typeof ClinicalAlertSchema>;

import { check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import {
  AI_DRAFT_STATUSES,
  CLINICAL_ALERT_KINDS,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_STATUSES,
} from '../../../shared/schemas/records';
import { oneOf } from '../../enum-check';
import { users } from './access';
import { patients, visits } from './care';
import { json, syncColumns, timestamp } from './columns';
import { scopedToHospital } from './organisation';

/** This hospital's record of a visit; promoted to the global EMR on discharge. */
export const emrLocal = pgTable(
  'emr_local',
  {
    ...syncColumns(scopedToHospital()),
    visitId: uuid()
      .notNull()
      .references(() => visits.id, { onDelete: 'restrict' }),
    patientId: uuid()
      .notNull()
      .references(() => patients.id, { onDelete: 'restrict' }),
    kind: text().notNull(),
    body: json<Record<string, unknown>>().notNull(),
  },
  (t) => [
    index('emr_local_visit_idx').on(t.visitId),
    index('emr_local_patient_idx').on(t.patientId),
    index('emr_local_body_gin').using('gin', t.body),
  ],
);

/** Machine-written drafts wait for a person: nothing here reaches a chart unreviewed. */
export const aiDrafts = pgTable(
  'ai_drafts',
  {
    ...syncColumns(scopedToHospital()),
    kind: text().notNull(),
    visitId: uuid()
      .notNull()
      .references(() => visits.id, { onDelete: 'restrict' }),
    patientId: uuid()
      .notNull()
      .references(() => patients.id, { onDelete: 'restrict' }),
    body: text().notNull(),
    status: text({ enum: AI_DRAFT_STATUSES }).notNull().default('draft'),
    reviewedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    reviewedAt: timestamp(),
  },
  (t) => [
    index('ai_drafts_visit_idx').on(t.visitId),
    index('ai_drafts_status_created_idx').on(t.status, t.createdAt),
    check('ai_drafts_status_check', oneOf(t.status, AI_DRAFT_STATUSES)),
  ],
);

export const notifications = pgTable(
  'notifications',
  {
    ...syncColumns(scopedToHospital()),
    channel: text({ enum: NOTIFICATION_CHANNELS }).notNull(),
    recipientUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    subject: text().notNull(),
    body: text().notNull(),
    status: text({ enum: NOTIFICATION_STATUSES }).notNull().default('pending'),
    retries: integer().notNull().default(0),
    lastError: text(),
    sentAt: timestamp(),
  },
  (t) => [
    index('notifications_status_created_idx').on(t.status, t.createdAt),
    index('notifications_recipient_idx').on(t.recipientUserId),
    check('notifications_channel_check', oneOf(t.channel, NOTIFICATION_CHANNELS)),
    check('notifications_status_check', oneOf(t.status, NOTIFICATION_STATUSES)),
  ],
);

/** Raised by the server when bedside reality clashes (double dose, bed conflict, …). */
export const clinicalAlerts = pgTable(
  'clinical_alerts',
  {
    ...syncColumns(scopedToHospital()),
    kind: text({ enum: CLINICAL_ALERT_KINDS }).notNull(),
    visitId: uuid().references(() => visits.id, { onDelete: 'set null' }),
    patientId: uuid().references(() => patients.id, { onDelete: 'set null' }),
    details: json<Record<string, unknown>>().notNull().default({}),
    acknowledgedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    acknowledgedAt: timestamp(),
  },
  (t) => [
    index('clinical_alerts_patient_idx').on(t.patientId, t.acknowledgedAt),
    index('clinical_alerts_kind_created_idx').on(t.kind, t.createdAt),
    index('clinical_alerts_details_gin').using('gin', t.details),
    check('clinical_alerts_kind_check', oneOf(t.kind, CLINICAL_ALERT_KINDS)),
  ],
);

import { z } from 'zod';
import { code, enumOf, integer, json, text, timestamp, uuid } from './columns';
import { check, ginIndex, index, syncedTable } from './table';

const AREA = 'records';

const JsonObjectSchema = z.record(z.string(), z.unknown());

export const EMR_LOCAL_KINDS = [
  'visit_record',
  'assessment',
  'procedure',
  'imaging',
  'other',
  /** The stay's discharge summary as the doctor approved it (main/services/discharge-summary.ts). */
  'discharge_summary',
] as const;

export const emrLocal = syncedTable('emr_local', {
  area: AREA,
  description: "This hospital's record of a visit; promoted to the global EMR on discharge.",
  columns: {
    visitId: uuid().references('visits', { onDelete: 'restrict' }),
    patientId: uuid().references('patients', { onDelete: 'restrict' }),
    kind: enumOf(EMR_LOCAL_KINDS, { check: false }),
    body: json(JsonObjectSchema),
  },
  indexes: [
    index('emr_local_visit_idx', ['visitId']),
    index('emr_local_patient_idx', ['patientId']),
  ],
  postgres: { indexes: [ginIndex('emr_local_body_gin', 'body')] },
  permissions: { insert: 'emr:write', update: 'emr:write', delete: 'emr:write' },
  globalEmr: 'entry',
  serverChecks: ['late_entry_after_discharge', 'refused_clinical_change'],
});

export const AI_DRAFT_KINDS = ['discharge_summary', 'handoff_summary'] as const;
/** draft: as the generator wrote it; reviewed: edited and saved by a person, not yet approved. */
export const AI_DRAFT_STATUSES = ['draft', 'reviewed', 'approved', 'rejected'] as const;

export const aiDrafts = syncedTable('ai_drafts', {
  area: AREA,
  description: 'Machine-written drafts wait for a person: nothing here reaches a chart unreviewed.',
  columns: {
    kind: enumOf(AI_DRAFT_KINDS, { check: false }),
    visitId: uuid().references('visits', { onDelete: 'restrict' }),
    patientId: uuid().references('patients', { onDelete: 'restrict' }),
    body: text({ max: 20_000 }),
    status: enumOf(AI_DRAFT_STATUSES).default('draft'),
    reviewedBy: uuid().nullable().references('users', { onDelete: 'set null' }),
    reviewedAt: timestamp().nullable(),
    /**
     * What wrote the first draft: `wardline-records-v1` is the deterministic assembly from the
     * stay's records; a language model plugged in later names itself here, behind the same review.
     */
    generator: text({ max: 100 }).default('wardline-records-v1'),
  },
  indexes: [
    index('ai_drafts_visit_idx', ['visitId']),
    index('ai_drafts_status_created_idx', ['status', 'createdAt']),
  ],
  permissions: { insert: 'ai_drafts:read', update: 'ai_drafts:review', delete: 'ai_drafts:review' },
});

export const NOTIFICATION_CHANNELS = ['in_app', 'email', 'sms'] as const;
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;

export const notifications = syncedTable('notifications', {
  area: AREA,
  description: 'A message to a member of staff and how its delivery went.',
  columns: {
    channel: enumOf(NOTIFICATION_CHANNELS),
    recipientUserId: uuid().nullable().references('users', { onDelete: 'set null' }),
    subject: text({ max: 200 }),
    body: text({ max: 5000 }),
    status: enumOf(NOTIFICATION_STATUSES).default('pending'),
    retries: integer({ min: 0, check: false }).default(0),
    lastError: text({ max: 1000, trim: false }).nullable(),
    sentAt: timestamp().nullable(),
  },
  indexes: [
    index('notifications_status_created_idx', ['status', 'createdAt']),
    index('notifications_recipient_idx', ['recipientUserId']),
  ],
  permissions: { insert: 'notifications:read', update: 'notifications:read' },
});

/** What a clinical alert is about; shared/clinical-alerts.ts says each kind in words. */
export const CLINICAL_ALERT_KINDS = [
  'possible_double_dose',
  'bed_conflict',
  'possible_duplicate_patient',
  'clock_skew',
  'late_entry_after_discharge',
  'refused_clinical_change',
  /** Two active appointments of one doctor overlap (booked on two desks offline). */
  'slot_taken',
  /** The movements of a stock item add up to less than nothing. */
  'negative_stock',
] as const;
export type ClinicalAlertKind = (typeof CLINICAL_ALERT_KINDS)[number];

export const clinicalAlerts = syncedTable('clinical_alerts', {
  area: AREA,
  description: 'Raised by the server when bedside reality clashes (double dose, bed conflict, …).',
  columns: {
    kind: enumOf(CLINICAL_ALERT_KINDS),
    visitId: uuid().nullable().references('visits', { onDelete: 'set null' }),
    patientId: uuid().nullable().references('patients', { onDelete: 'set null' }),
    details: json(JsonObjectSchema).default({}),
    acknowledgedBy: uuid().nullable().references('users', { onDelete: 'set null' }),
    acknowledgedAt: timestamp().nullable(),
    /** What the person who acknowledged it found or did, in their words. */
    acknowledgementNote: text({ max: 500 }).nullable(),
  },
  indexes: [
    index('clinical_alerts_patient_idx', ['patientId', 'acknowledgedAt']),
    index('clinical_alerts_kind_created_idx', ['kind', 'createdAt']),
    index('clinical_alerts_open_idx', ['createdAt'], {
      where: '{acknowledgedAt} is null and {deletedAt} is null',
      why: 'The inbox, the ward board and the chart ask for open alerts all shift; few are open.',
    }),
  ],
  postgres: { indexes: [ginIndex('clinical_alerts_details_gin', 'details')] },
  permissions: { insert: 'clinical_alerts:read', update: 'clinical_alerts:acknowledge' },
  serverChecks: ['alert_acknowledgement'],
});

/** What a workstation accepts as an attachment, told by the file's first bytes (shared/attachment-types.ts). */
export const ATTACHMENT_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
/** 20 MB: a scanned multi-page lab report or a photograph; larger files are refused whole. */
export const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

export const attachments = syncedTable('attachments', {
  area: AREA,
  description:
    'A lab report or image attached to a lab test or an EMR entry; the bytes travel apart, by sha256 (docs/SYNC.md "Attachments").',
  columns: {
    patientId: uuid().references('patients', { onDelete: 'restrict' }),
    visitId: uuid().nullable().references('visits', { onDelete: 'restrict' }),
    labTestId: uuid().nullable().references('lab_tests', { onDelete: 'restrict' }),
    emrLocalId: uuid().nullable().references('emr_local', { onDelete: 'restrict' }),
    fileName: text({ max: 255 }),
    mediaType: enumOf(ATTACHMENT_MEDIA_TYPES),
    byteSize: integer({ min: 1, max: ATTACHMENT_MAX_BYTES }),
    sha256: code(/^[0-9a-f]{64}$/, 'A sha256 is 64 lowercase hexadecimal digits'),
  },
  indexes: [
    index('attachments_lab_test_idx', ['labTestId']),
    index('attachments_emr_local_idx', ['emrLocalId']),
    index('attachments_visit_idx', ['visitId']),
    index('attachments_sha256_idx', ['sha256']),
  ],
  checks: [
    check(
      'attachments_target_check',
      '{labTestId} is not null or {emrLocalId} is not null',
      'An attachment belongs to a lab test or an EMR entry: a file with neither is lost in the chart.',
    ),
  ],
  permissions: { insert: 'attachments:add', delete: 'attachments:add' },
});

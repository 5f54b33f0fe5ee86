import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { MUTATION_OPS, RESULT_STATUSES } from '../../../shared/protocol';
import { oneOf } from '../../enum-check';
import { patients, visits } from './care';
import { json, timestamp } from './columns';
import { hospitals } from './organisation';

// Tables only the server has: sync bookkeeping, devices, the received audit trail, global EMR.

/** An enrolled workstation. The token itself is never stored, only its SHA-256. */
export const devices = pgTable(
  'devices',
  {
    id: uuid().primaryKey(),
    hospitalId: uuid()
      .notNull()
      .references(() => hospitals.id, { onDelete: 'restrict' }),
    name: text().notNull(),
    tokenHash: text().notNull().unique('devices_token_hash_unique'),
    enrolledAt: timestamp().notNull().defaultNow(),
    lastSeenAt: timestamp(),
    revokedAt: timestamp(),
    revokedBy: uuid(),
    // The latest status its pushes reported (SYNC-PROTOCOL.md "Fleet"), for IT's overview.
    appVersion: text(),
    outboxPending: integer(),
    oldestPendingAt: timestamp(),
    lastPullAt: timestamp(),
    clockSkewMs: integer(),
    statusAt: timestamp(),
  },
  (t) => [index('devices_hospital_idx').on(t.hospitalId)],
);

/** Single-use, expiring codes an admin hands to IT to enroll a workstation. */
export const enrollmentCodes = pgTable(
  'enrollment_codes',
  {
    id: uuid().primaryKey(),
    hospitalId: uuid()
      .notNull()
      .references(() => hospitals.id, { onDelete: 'restrict' }),
    codeHash: text().notNull().unique('enrollment_codes_code_hash_unique'),
    createdAt: timestamp().notNull().defaultNow(),
    expiresAt: timestamp().notNull(),
    usedAt: timestamp(),
    usedByDeviceId: uuid().references(() => devices.id, { onDelete: 'set null' }),
  },
  (t) => [index('enrollment_codes_hospital_idx').on(t.hospitalId)],
);

/** Idempotency: the first answer to each mutation id, returned again for every resend. */
export const appliedMutations = pgTable(
  'applied_mutations',
  {
    mutationId: uuid().primaryKey(),
    deviceId: uuid()
      .notNull()
      .references(() => devices.id, { onDelete: 'restrict' }),
    deviceSeq: bigint({ mode: 'number' }).notNull(),
    userId: uuid().notNull(),
    tableName: text().notNull(),
    rowId: uuid().notNull(),
    op: text({ enum: MUTATION_OPS }).notNull(),
    status: text({ enum: RESULT_STATUSES }).notNull(),
    version: integer(),
    result: json<Record<string, unknown>>().notNull(),
    clientTime: timestamp().notNull(),
    receivedAt: timestamp().notNull().defaultNow(),
  },
  (t) => [
    index('applied_mutations_device_seq_idx').on(t.deviceId, t.deviceSeq),
    check('applied_mutations_op_check', oneOf(t.op, MUTATION_OPS)),
    check('applied_mutations_status_check', oneOf(t.status, RESULT_STATUSES)),
  ],
);

/**
 * The change feed pull reads. `txId` is the writing transaction's id, so pull can tell a change
 * whose transaction is still in flight from one that is committed (see server/sync/pull.ts).
 */
export const changeFeed = pgTable(
  'change_feed',
  {
    seq: bigserial({ mode: 'number' }).primaryKey(),
    tableName: text().notNull(),
    rowId: uuid().notNull(),
    hospitalId: uuid(),
    version: integer().notNull(),
    // The writing transaction's full 64-bit id (xid8 as bigint): comparable with the snapshot's
    // xmin, which tells which transactions have certainly finished.
    txId: bigint({ mode: 'number' })
      .notNull()
      .default(sql`(pg_current_xact_id()::text)::bigint`),
    committedAt: timestamp().notNull().defaultNow(),
    // The change exactly as pull sends it ({"table","id","version","row"} JSON text, the row as
    // it was after this write), built by the feed trigger: a pull page is one index scan of
    // ready-made text that the server concatenates without parsing.
    change: text(),
  },
  (t) => [
    index('change_feed_hospital_seq_idx').on(t.hospitalId, t.seq),
    index('change_feed_hospital_tx_seq_idx').on(t.hospitalId, t.txId, t.seq),
    index('change_feed_tx_seq_idx').on(t.txId, t.seq),
    // Reference data (no hospital) in feed order: a pull page's second branch reads it in order
    // and stops, instead of filtering every hospital's entries out of change_feed_tx_seq_idx.
    index('change_feed_reference_tx_seq_idx')
      .on(t.txId, t.seq)
      .where(sql`${t.hospitalId} is null`),
    // Compaction (server/sync/feed-compaction.ts) finds a row's earlier entries by its id.
    index('change_feed_row_idx').on(t.rowId, t.version),
  ],
);

/**
 * Feed retention (docs/SERVER.md "Feed retention"): one row, the place in the change feed up to
 * which compaction has removed entries superseded by a later version of their row. A pull
 * cursor before it, handed out before the horizon, is answered `cursor_expired`.
 */
export const feedCompaction = pgTable(
  'feed_compaction',
  {
    id: integer().primaryKey(),
    throughTxId: bigint({ mode: 'number' }).notNull(),
    throughSeq: bigint({ mode: 'number' }).notNull(),
    // Entries committed before this time were past the horizon at the last run: a cursor handed
    // out before it is older than the horizon.
    horizonCutoff: timestamp().notNull(),
    removed: bigint({ mode: 'number' }).notNull().default(0),
    compactedAt: timestamp().notNull().defaultNow(),
  },
  (t) => [check('feed_compaction_single_row', sql`${t.id} = 1`)],
);

/** Every version of every synced row's changed fields: the basis of field-level merge. */
export const rowHistory = pgTable(
  'row_history',
  {
    tableName: text().notNull(),
    rowId: uuid().notNull(),
    version: integer().notNull(),
    changedFields: json<string[]>().notNull(),
    mutationId: uuid(),
    // The workstation whose mutation made this version (null for server-made rows): field-level
    // merge counts only changes made by someone other than the pushing device.
    deviceId: uuid().references(() => devices.id, { onDelete: 'set null' }),
    changedBy: uuid(),
    changedAt: timestamp().notNull().defaultNow(),
  },
  (t) => [uniqueIndex('row_history_row_version_unique').on(t.tableName, t.rowId, t.version)],
);

/** The server's conflict record: the values that lost, kept so nothing is silently dropped. */
export const syncConflicts = pgTable(
  'sync_conflicts',
  {
    id: uuid().primaryKey(),
    hospitalId: uuid()
      .notNull()
      .references(() => hospitals.id, { onDelete: 'restrict' }),
    deviceId: uuid().references(() => devices.id, { onDelete: 'set null' }),
    mutationId: uuid().notNull(),
    tableName: text().notNull(),
    rowId: uuid().notNull(),
    reasonCode: text().notNull(),
    baseVersion: integer(),
    serverVersion: integer(),
    losingValues: json<Record<string, unknown>>().notNull(),
    serverValues: json<Record<string, unknown>>().notNull(),
    createdAt: timestamp().notNull().defaultNow(),
    resolvedAt: timestamp(),
  },
  (t) => [
    index('sync_conflicts_row_idx').on(t.tableName, t.rowId),
    index('sync_conflicts_hospital_created_idx').on(t.hospitalId, t.createdAt),
  ],
);

/** MRNs handed to one device for offline registration; never handed to anyone else. */
export const idReservations = pgTable(
  'id_reservations',
  {
    hospitalId: uuid()
      .notNull()
      .references(() => hospitals.id, { onDelete: 'restrict' }),
    kind: text().notNull(),
    value: text().notNull(),
    deviceId: uuid()
      .notNull()
      .references(() => devices.id, { onDelete: 'restrict' }),
    reservedAt: timestamp().notNull().defaultNow(),
  },
  (t) => [uniqueIndex('id_reservations_value_unique').on(t.hospitalId, t.kind, t.value)],
);

/** Audit events as devices pushed them, with the chain verdict per event. */
export const auditLogs = pgTable(
  'audit_logs',
  {
    id: uuid().primaryKey(),
    deviceId: uuid()
      .notNull()
      .references(() => devices.id, { onDelete: 'restrict' }),
    hospitalId: uuid()
      .notNull()
      .references(() => hospitals.id, { onDelete: 'restrict' }),
    deviceSeq: bigint({ mode: 'number' }).notNull(),
    at: timestamp().notNull(),
    receivedAt: timestamp().notNull().defaultNow(),
    userId: uuid(),
    action: text().notNull(),
    entity: text().notNull(),
    entityId: text(),
    before: json<unknown>(),
    after: json<unknown>(),
    prevHash: text().notNull(),
    hash: text().notNull(),
    /** null when the event links correctly; otherwise `gap` or `hash_mismatch`. */
    chainIssue: text(),
    /** The person's signature as sent (protocol 2); kept so the event can be checked again. */
    signature: text(),
    /**
     * null when the signature verified with a key the person registered from this device;
     * otherwise why not: `missing`, `no_key` or `mismatch`. Such events are kept, never dropped.
     */
    signatureIssue: text(),
    /**
     * Read at receipt from the event's `after` (shared/protocol.ts AuditContextSchema), so the
     * access report finds a patient's events by index; null for an event of another shape.
     */
    patientId: uuid(),
    role: text(),
    outcome: text(),
  },
  (t) => [
    index('audit_logs_device_seq_idx').on(t.deviceId, t.deviceSeq),
    index('audit_logs_patient_at_idx').on(t.patientId, t.at),
    index('audit_logs_user_at_idx').on(t.userId, t.at),
    index('audit_logs_entity_idx').on(t.entity, t.entityId),
    index('audit_logs_chain_issue_idx').on(t.chainIssue),
    index('audit_logs_signature_issue_idx').on(t.signatureIssue),
  ],
);

/** A patient's cross-facility record: one entry per promoted visit. */
export const emrGlobal = pgTable(
  'emr_global',
  {
    id: uuid().primaryKey(),
    patientId: uuid()
      .notNull()
      .references(() => patients.id, { onDelete: 'restrict' }),
    visitId: uuid()
      .notNull()
      .unique('emr_global_visit_unique')
      .references(() => visits.id, { onDelete: 'restrict' }),
    sourceHospitalId: uuid()
      .notNull()
      .references(() => hospitals.id, { onDelete: 'restrict' }),
    admittedAt: timestamp().notNull(),
    dischargedAt: timestamp(),
    record: json<Record<string, unknown>>().notNull(),
    promotedAt: timestamp().notNull().defaultNow(),
    updatedAt: timestamp().notNull().defaultNow(),
  },
  (t) => [
    index('emr_global_patient_idx').on(t.patientId, t.admittedAt),
    index('emr_global_record_gin').using('gin', t.record),
  ],
);

/**
 * What IT did on the server itself (the CLI's organisation set-up, `org …`): those acts
 * come from no workstation, so they have no place in the per-device audit chain. No secret or
 * patient value is kept here, only what was changed and its new values.
 */
export const adminActions = pgTable(
  'admin_actions',
  {
    id: uuid().primaryKey(),
    at: timestamp().notNull().defaultNow(),
    /** `cli` for the server console; a person's changes from a workstation are audited there. */
    actor: text().notNull(),
    hospitalId: uuid(),
    action: text().notNull(),
    entity: text().notNull(),
    entityId: text(),
    after: json<unknown>(),
  },
  (t) => [index('admin_actions_hospital_at_idx').on(t.hospitalId, t.at)],
);

/** Where a file's bytes are kept (`attachment_blobs.stored_in`). */
export const BLOB_STORES = ['database', 'folder'] as const;
export type BlobStoreKind = (typeof BLOB_STORES)[number];

/**
 * Attachment files a hospital's workstations uploaded, once per (hospital, sha256) however many
 * attachments name them (docs/SYNC.md "Attachments"). Kept per hospital: a device never learns
 * whether another hospital holds a file. `receivedBytes` reaches `byteSize` when the last chunk
 * arrived and the sha256 of the whole was checked; only then is the file served.
 */
export const attachmentBlobs = pgTable(
  'attachment_blobs',
  {
    hospitalId: uuid()
      .notNull()
      .references(() => hospitals.id, { onDelete: 'restrict' }),
    sha256: text().notNull(),
    mediaType: text().notNull(),
    byteSize: integer().notNull(),
    receivedBytes: integer().notNull().default(0),
    complete: boolean().notNull().default(false),
    /** The device that sent the first chunk. */
    uploadedBy: uuid()
      .notNull()
      .references(() => devices.id, { onDelete: 'restrict' }),
    createdAt: timestamp().notNull().defaultNow(),
    completedAt: timestamp(),
    /**
     * Where the bytes are: `folder`, a file in the server's attachments folder (serve's default,
     * `<data-dir>/attachments`), or `database`, rows of `attachment_blob_chunks`. Set when the
     * first bytes arrive, so a server started with the other setting still finds older files.
     */
    storedIn: text({ enum: BLOB_STORES }).notNull().default('database'),
  },
  (t) => [
    primaryKey({ columns: [t.hospitalId, t.sha256] }),
    check('attachment_blobs_stored_in_check', oneOf(t.storedIn, BLOB_STORES)),
  ],
);

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** A file's bytes in the pieces they arrived in; `offset` orders them. */
export const attachmentBlobChunks = pgTable(
  'attachment_blob_chunks',
  {
    hospitalId: uuid().notNull(),
    sha256: text().notNull(),
    offset: integer().notNull(),
    bytes: bytea().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.hospitalId, t.sha256, t.offset] }),
    foreignKey({
      columns: [t.hospitalId, t.sha256],
      foreignColumns: [attachmentBlobs.hospitalId, attachmentBlobs.sha256],
      name: 'attachment_blob_chunks_blob_fk',
    }).onDelete('cascade'),
  ],
);

/**
 * The server's record of each file it received whole (issue 17 audit): hospital, the device
 * that sent its last piece, sha256, size and time. No content, no file name, no patient value;
 * the attachment rows naming the file are in the workstations' signed audit chain.
 */
export const attachmentUploads = pgTable(
  'attachment_uploads',
  {
    id: uuid().primaryKey(),
    at: timestamp().notNull().defaultNow(),
    hospitalId: uuid()
      .notNull()
      .references(() => hospitals.id, { onDelete: 'restrict' }),
    deviceId: uuid()
      .notNull()
      .references(() => devices.id, { onDelete: 'restrict' }),
    sha256: text().notNull(),
    byteSize: integer().notNull(),
  },
  (t) => [index('attachment_uploads_hospital_at_idx').on(t.hospitalId, t.at)],
);

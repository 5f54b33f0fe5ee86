import { sql } from 'drizzle-orm';
import {
  blob,
  check,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
} from 'drizzle-orm/sqlite-core';
import { MUTATION_OPS } from '../../../shared/protocol';
import { oneOf } from '../../enum-check';
import { users } from './access';
import { json, nowIso, timestamp } from './columns';

// Tables only the workstation has: they never travel through /v1/sync as rows.

export const OUTBOX_STATUSES = ['pending', 'rejected'] as const;

/** Local write queue. deviceSeq is AUTOINCREMENT so a sequence number is never reused. */
export const outbox = sqliteTable(
  'outbox',
  {
    deviceSeq: integer().primaryKey({ autoIncrement: true }),
    mutationId: text().notNull().unique('outbox_mutation_id_unique'),
    userId: text().notNull(),
    tableName: text().notNull(),
    op: text({ enum: MUTATION_OPS }).notNull(),
    rowId: text().notNull(),
    baseVersion: integer(),
    data: json<Record<string, unknown>>().notNull(),
    clientTime: timestamp().notNull(),
    /**
     * The author's Ed25519 signature over exactly this mutation as it is sent (protocol 2),
     * made in the write path's transaction. Null only for a change whose author had no signing
     * key yet on this workstation (upgraded from protocol 1): it waits, unsent, until they sign
     * in online once (main/sync/waiting-signatures.ts).
     */
    signature: text(),
    /** pending: not yet acknowledged; rejected: the server refused it and a person must look. */
    status: text({ enum: OUTBOX_STATUSES }).notNull().default('pending'),
    attempts: integer().notNull().default(0),
    reasonCode: text(),
    reasonMessage: text(),
    lastError: text(),
  },
  (t) => [
    index('outbox_status_seq_idx').on(t.status, t.deviceSeq),
    index('outbox_row_idx').on(t.tableName, t.rowId),
    check('outbox_op_check', oneOf(t.op, MUTATION_OPS)),
    check('outbox_status_check', oneOf(t.status, OUTBOX_STATUSES)),
  ],
);

/** One row (id = 1): where this workstation stands with the server. */
export const syncState = sqliteTable(
  'sync_state',
  {
    id: integer().primaryKey(),
    deviceId: text(),
    hospitalId: text(),
    serverUrl: text(),
    pullCursor: text(),
    lastPushAt: timestamp(),
    lastPullAt: timestamp(),
    lastSuccessAt: timestamp(),
    lastError: text(),
    clockSkewMs: integer(),
    /**
     * When the server refused this workstation's token (revoked by IT): no new clinical entry is
     * taken until it is enrolled again, since none could ever be sent. Cleared by enrollment.
     */
    deviceRevokedAt: timestamp(),
  },
  (t) => [check('sync_state_single_row_check', sql`${t.id} = 1`)],
);

/** Same-field edits that lost to the server: both values kept until a person decides. */
export const syncConflicts = sqliteTable(
  'sync_conflicts',
  {
    id: text().primaryKey(),
    mutationId: text().notNull(),
    tableName: text().notNull(),
    rowId: text().notNull(),
    reasonCode: text().notNull(),
    localValues: json<Record<string, unknown>>().notNull(),
    serverValues: json<Record<string, unknown>>().notNull(),
    serverVersion: integer(),
    /** Who made the losing change on this workstation, and when (the mutation's clientTime). */
    localUserId: text(),
    localTime: timestamp(),
    /** Who made the row's version the server kept, and when. */
    serverUpdatedBy: text(),
    serverUpdatedAt: timestamp(),
    detectedAt: timestamp().notNull().default(nowIso),
    resolvedAt: timestamp(),
    resolvedBy: text(),
    resolution: text(),
  },
  (t) => [index('sync_conflicts_open_idx').on(t.resolvedAt, t.detectedAt)],
);

/**
 * What the server said about a person's own change that they must hear at once: the warnings of
 * an applied change (a possible double dose) and conflicts with a clinical reason (the bed was
 * taken). Kept until shown to that person; the clinical alert itself is a synced row.
 */
export const pushNotices = sqliteTable(
  'push_notices',
  {
    id: text().primaryKey(),
    mutationId: text().notNull(),
    /** The person whose change it was: the notice is theirs to see. */
    userId: text().notNull(),
    tableName: text().notNull(),
    rowId: text().notNull(),
    code: text().notNull(),
    message: text().notNull(),
    receivedAt: timestamp().notNull(),
    shownAt: timestamp(),
  },
  (t) => [index('push_notices_user_shown_idx').on(t.userId, t.shownAt)],
);

/** MRNs the server reserved for this workstation, so offline registrations never collide. */
export const mrnPool = sqliteTable('mrn_pool', {
  mrn: text().primaryKey(),
  reservedAt: timestamp().notNull().default(nowIso),
  usedAt: timestamp(),
});

/**
 * Offline login: an argon2id verifier cached by an earlier online login, valid until expiresAt.
 * Lockout counts live here too, since offline there is no server to count them.
 */
export const cachedCredentials = sqliteTable('cached_credentials', {
  userId: text()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  email: text().notNull().unique('cached_credentials_email_unique'),
  verifier: text().notNull(),
  cachedAt: timestamp().notNull(),
  expiresAt: timestamp().notNull(),
  failedCount: integer().notNull().default(0),
  lockedUntil: timestamp(),
  /**
   * The users row's credentialVersion this verifier was made for: a higher one pulled since
   * (a change or reset elsewhere) retires it (main/auth/sign-in.ts).
   */
  credentialVersion: integer().notNull().default(0),
});

export const sessions = sqliteTable(
  'sessions',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    mode: text({ enum: ['online', 'offline'] }).notNull(),
    startedAt: timestamp().notNull(),
    lastActivityAt: timestamp().notNull(),
    lockedAt: timestamp(),
    endedAt: timestamp(),
    endReason: text(),
  },
  (t) => [index('sessions_user_started_idx').on(t.userId, t.startedAt)],
);

export const loginHistory = sqliteTable(
  'login_history',
  {
    id: text().primaryKey(),
    userId: text().references(() => users.id, { onDelete: 'set null' }),
    email: text().notNull(),
    at: timestamp().notNull(),
    mode: text({ enum: ['online', 'offline'] }).notNull(),
    outcome: text().notNull(),
  },
  (t) => [index('login_history_at_idx').on(t.at)],
);

/** Hash-chained per device: hash = sha256(prevHash + canonical JSON of the event). */
export const auditLogs = sqliteTable(
  'audit_logs',
  {
    id: text().primaryKey(),
    deviceSeq: integer().notNull().unique('audit_logs_device_seq_unique'),
    at: timestamp().notNull(),
    userId: text(),
    action: text().notNull(),
    entity: text().notNull(),
    entityId: text(),
    before: json<unknown>(),
    after: json<unknown>(),
    prevHash: text().notNull(),
    hash: text().notNull(),
    /** The person's signature over the event with its hash; null without a person or a key. */
    signature: text(),
  },
  (t) => [index('audit_logs_entity_idx').on(t.entity, t.entityId)],
);

/**
 * How far the server holds this device's audit chain, and what it said about it. Kept outside
 * the events, which are append-only (triggers in the migration refuse UPDATE and DELETE of them):
 * every event up to `pushedThroughSeq` has been acknowledged by the server.
 */
export const auditPushState = sqliteTable(
  'audit_push_state',
  {
    id: integer().primaryKey(),
    pushedThroughSeq: integer().notNull().default(0),
    /** When the server last answered `chainBroken`, or signed events it could not verify. */
    alertAt: timestamp(),
    alertReason: text({ enum: ['chain_broken', 'unverified'] }),
    /** Signed events the server could not verify, summed over pushes since the last alert. */
    unverifiedSigned: integer().notNull().default(0),
  },
  (t) => [check('audit_push_state_single_row_check', sql`${t.id} = 1`)],
);

/**
 * A person's Ed25519 signing key on this workstation (SYNC-PROTOCOL.md "Authorship"), made at
 * their first online sign-in here. The private key is stored only sealed: AES-256-GCM under a
 * key derived from their password with argon2id (its own salt), so only they, signing in, can
 * use it. A retired key (password changed or forgotten) stays, sealed and unused.
 */
export const signingKeys = sqliteTable(
  'signing_keys',
  {
    id: text().primaryKey(),
    userId: text().notNull(),
    /** Raw 32-byte Ed25519 public key, base64url: what the server registers at sign-in. */
    publicKey: text().notNull(),
    /** The 32-byte private key sealed with AES-256-GCM, ciphertext then tag, base64url. */
    sealedPrivateKey: text().notNull(),
    salt: text().notNull(),
    nonce: text().notNull(),
    /** The argon2id parameters the sealing key was derived with, so they can rise later. */
    kdf: json<{ memoryCost: number; timeCost: number; parallelism: number }>().notNull(),
    createdAt: timestamp().notNull(),
    retiredAt: timestamp(),
  },
  (t) => [index('signing_keys_user_idx').on(t.userId, t.retiredAt)],
);

/**
 * One row (id = 1): what this workstation holds of its hospital (docs/SYNC.md "Scope") and how
 * far its snapshot first sync has come ("Snapshot first sync"). No row: the whole hospital, and
 * the first sync was (or will be) an ordinary pull.
 */
export const replicaScope = sqliteTable(
  'replica_scope',
  {
    id: integer().primaryKey(),
    /** Null: the whole hospital. Otherwise stays discharged within this many days, and current. */
    dischargedWithinDays: integer(),
    /** Stays that ended before this instant have been purged (or were never loaded). */
    purgedBefore: timestamp(),
    /** The pull cursor the snapshot continues with; null before its first page. */
    snapshotCursor: text(),
    /** The token of the next page to load; null when the snapshot is not under way. */
    snapshotNext: text(),
    snapshotRows: integer().notNull().default(0),
    snapshotTotal: integer(),
    snapshotBytes: integer().notNull().default(0),
    snapshotStartedAt: timestamp(),
    snapshotDoneAt: timestamp(),
    /** CREATE INDEX statements dropped for the load, rebuilt after its last page. */
    droppedIndexes: json<string[]>(),
  },
  (t) => [check('replica_scope_single_row_check', sql`${t.id} = 1`)],
);

/**
 * Older stays held beyond the window: a chart opened online (until `keptUntil`), or a stay the
 * purge found with a change still waiting to be sent (`keptUntil` null: until it is sent).
 */
export const stayHolds = sqliteTable('stay_holds', {
  visitId: text().primaryKey(),
  keptUntil: timestamp(),
});

export const ATTACHMENT_FILE_STATES = ['to_upload', 'uploaded', 'fetched'] as const;

/**
 * The attachment files this workstation holds, by sha256 (docs/WORKSTATION.md "Attachments"):
 * attached here and not yet on the server (`to_upload`), attached here and uploaded, or fetched
 * from the server when first opened. The bytes live in `attachment_chunks`, inside the encrypted
 * replica, so a file is sealed by the replica's key like every other patient value.
 */
export const attachmentFiles = sqliteTable(
  'attachment_files',
  {
    sha256: text().primaryKey(),
    mediaType: text().notNull(),
    byteSize: integer().notNull(),
    state: text({ enum: ATTACHMENT_FILE_STATES }).notNull(),
    storedAt: timestamp().notNull(),
    /** Why the last upload attempt stopped (the sync engine retries it). */
    lastError: text(),
  },
  (t) => [
    index('attachment_files_state_idx').on(t.state),
    check('attachment_files_state_check', oneOf(t.state, ATTACHMENT_FILE_STATES)),
  ],
);

/** A file's bytes in pieces of at most 1 MiB, so a 20 MB report is never one SQLite value. */
export const attachmentChunks = sqliteTable(
  'attachment_chunks',
  {
    sha256: text()
      .notNull()
      .references(() => attachmentFiles.sha256, { onDelete: 'cascade' }),
    offset: integer().notNull(),
    bytes: blob({ mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sha256, t.offset] })],
);

/**
 * The wire contract of ../shared/docs/SYNC-PROTOCOL.md (version 2) as zod schemas, used by the
 * server to validate what it receives and by the workstation to validate what it is answered.
 * Where each endpoint lives is declared once in shared/endpoints.ts.
 */
import { z } from 'zod';
import { NewPasswordSchema } from './passwords';
import { IdSchema, TimestampSchema } from './schemas/common';

export const PROTOCOL_VERSION = 2;
/**
 * Sent by the workstation on every request, so a server can tell which contract a caller speaks
 * before it reads the body (an older workstation after an upgrade of the server, say).
 */
export const PROTOCOL_HEADER = 'Wardline-Protocol';
export const MAX_PUSH_BATCH = 500;
export const MAX_PULL_LIMIT = 1000;
export const MAX_ID_RESERVATION = 100;
/**
 * The server's request body limit (413 `payload_too_large` above it). A push is cut to half of it
 * by size as well as by count, leaving room for a proxy in front with a lower limit.
 */
export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;
export const MAX_PUSH_BYTES = MAX_REQUEST_BYTES / 2;
/**
 * The largest one change may be as JSON: the workstation refuses a bigger one before it is
 * stored, so no mutation can ever be too large to send alone. Text fields are bounded by the
 * catalog (at most 20,000 characters); this bounds JSON documents and any sum of fields.
 */
export const MAX_MUTATION_BYTES = 1024 * 1024;
export const CLOCK_SKEW_WARNING_MS = 2 * 60 * 1000;

/** Ed25519 (Authorship): a raw public key is 32 bytes, a signature 64; base64url, unpadded. */
export const PUBLIC_KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{86}$/;

/** `error.code` of every non-2xx answer ("Errors"); `account_locked` is a 401 of sign-in. */
export const ERROR_CODES = [
  'invalid_request',
  'unauthorized',
  'account_locked',
  // Wardline extension (docs/SYNC.md "Passwords"): a 403 of sign-in with a reset password, and
  // of sign-in or a password change with one older than TEMPORARY_PASSWORD_VALID_HOURS.
  'password_change_required',
  'temporary_password_expired',
  'forbidden',
  'not_found',
  'payload_too_large',
  'rate_limited',
  'internal',
  // Wardline extension (docs/SYNC.md "Feed retention"): a 410 of pull whose cursor lies before
  // what feed compaction removed; pulling again without a cursor works.
  'cursor_expired',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What a code this workstation does not know reads as (see knownCode). */
export const UNKNOWN_CODE = 'unknown';

/**
 * How the workstation reads a code: one from the list, or `'unknown'` for one this version does
 * not know. A newer server may name a reason this workstation has never heard of; refusing its
 * whole answer would leave the outbox stuck behind changes the server has already taken. The
 * status (`rejected`, `conflict`) and the server's sentence still say what happened; only the
 * program-readable code is lost. The server's own schemas take only the listed codes.
 */
function knownCode<const T extends readonly [string, ...string[]]>(codes: T) {
  return z.union([z.enum(codes), z.string().transform((): typeof UNKNOWN_CODE => UNKNOWN_CODE)]);
}

export const ErrorBodySchema = z.object({
  error: z.object({ code: knownCode(ERROR_CODES), message: z.string() }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export const HealthSchema = z.object({
  status: z.literal('ok'),
  db: z.enum(['ok', 'down']),
  version: z.string(),
  protocol: z.number().int().positive(),
});

export const EnrollRequestSchema = z.object({
  code: z.string().trim().min(1).max(200),
  deviceName: z.string().trim().min(1).max(120),
});
export const EnrollResponseSchema = z.object({
  deviceId: IdSchema,
  deviceToken: z.string(),
  hospitalId: IdSchema,
});

export const LoginRequestSchema = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
  /** Protocol 2: the person's Ed25519 public key on this device, raw 32 bytes, base64url. */
  signingKey: z
    .string()
    .regex(PUBLIC_KEY_PATTERN, 'a raw 32-byte Ed25519 public key, base64url without padding')
    .optional(),
});
export const LoginResponseSchema = z.object({
  user: z.object({
    id: IdSchema,
    email: z.string(),
    fullName: z.string(),
    hospitalId: IdSchema.nullable(),
    roles: z.array(z.string()),
    permissions: z.array(z.string()),
  }),
});
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/**
 * Wardline extension (docs/SYNC.md "Passwords"): a person changes their own password, proven by
 * the current one (a temporary password after a reset counts as current).
 */
export const PasswordChangeRequestSchema = z.object({
  email: z.string().trim().min(1).max(254),
  currentPassword: z.string().min(1).max(1024),
  newPassword: NewPasswordSchema,
});
/** `credentialVersion`: the `users` row's new value, which the workstation's verifier records. */
export const PasswordChangeResponseSchema = z.object({
  credentialVersion: z.number().int().nonnegative(),
});
/** Wardline extension: an administrator's reset of a person's password (a signed request). */
export const PasswordResetParamsSchema = z.object({ userId: IdSchema });
export const PasswordResetResponseSchema = z.object({
  temporaryPassword: z.string().min(1),
  credentialVersion: z.number().int().nonnegative(),
});

export const DeviceRevokeParamsSchema = z.object({ deviceId: IdSchema });
export const DeviceRevokeResponseSchema = z.object({
  deviceId: IdSchema,
  revokedAt: TimestampSchema,
});

export const MUTATION_OPS = ['insert', 'update', 'delete'] as const;
export type MutationOp = (typeof MUTATION_OPS)[number];

export const MutationSchema = z.object({
  mutationId: IdSchema,
  deviceSeq: z.number().int().nonnegative(),
  userId: IdSchema,
  table: z.string().min(1).max(64),
  op: z.enum(MUTATION_OPS),
  id: IdSchema,
  baseVersion: z.number().int().nonnegative().nullable(),
  data: z.record(z.string(), z.unknown()),
  clientTime: TimestampSchema,
  /**
   * Protocol 2: Ed25519 over the mutation (shared/authorship.ts). Any string is taken here: a
   * missing or malformed one is that mutation's `bad_signature`, not the whole request's 400.
   */
  signature: z.string().max(1024).optional(),
});
export type Mutation = z.infer<typeof MutationSchema>;

/**
 * What a workstation tells the server about itself with each push (SYNC-PROTOCOL.md "Fleet"), so
 * IT sees which workstation holds changes the server has not got, and since when.
 */
export const DeviceStatusSchema = z.object({
  appVersion: z.string().min(1).max(64),
  outboxPending: z.number().int().min(0),
  oldestPendingAt: TimestampSchema.nullable(),
  lastPullAt: TimestampSchema.nullable(),
});
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;

export const PushRequestSchema = z.object({
  mutations: z.array(MutationSchema).max(MAX_PUSH_BATCH),
  deviceTime: TimestampSchema.optional(),
  status: DeviceStatusSchema.optional(),
});
export type PushRequest = z.infer<typeof PushRequestSchema>;

export const RESULT_STATUSES = ['applied', 'duplicate', 'conflict', 'rejected'] as const;
/**
 * What a mutation's first answer was, which a `duplicate` repeats (protocol 2): the first answer
 * may have been lost on the way, and a refusal or a conflict must not vanish with it.
 */
export const FIRST_STATUSES = ['applied', 'conflict', 'rejected'] as const;
export type FirstStatus = (typeof FIRST_STATUSES)[number];
/** Why a mutation was `rejected`: nothing of it was applied. */
export const REJECT_CODES = [
  'validation',
  'forbidden',
  'invalid_transition',
  'unknown_table',
  'not_found',
  // Protocol 2, Authorship: a missing or wrong signature, a deviceSeq not above the last one.
  'bad_signature',
  'sequence_reused',
] as const;
export type RejectCode = (typeof REJECT_CODES)[number];
/** Why a mutation answered `conflict`: applied, but not all of it as sent. */
export const CONFLICT_CODES = [
  'concurrent_edit',
  'bed_unavailable',
  // Two active appointments of one doctor overlap: both kept, reception moves one.
  'slot_taken',
] as const;
export type ConflictCode = (typeof CONFLICT_CODES)[number];
export const REASON_CODES = [...REJECT_CODES, ...CONFLICT_CODES] as const;
export type ReasonCode = (typeof REASON_CODES)[number];
/** Warnings of an `applied` mutation: what happened at the bedside is kept, and flagged. */
export const WARNING_CODES = [
  'possible_double_dose',
  'possible_duplicate_patient',
  'sequence_gap',
  // The change named a patient record merged into another: it was filed under the survivor.
  'merged_record',
  // The stock item's movements now add up to less than nothing.
  'negative_stock',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export const ReasonSchema = z.object({ code: z.enum(REASON_CODES), message: z.string() });
export type Reason = z.infer<typeof ReasonSchema>;
export const WarningSchema = z.object({ code: z.enum(WARNING_CODES), message: z.string() });
export type Warning = z.infer<typeof WarningSchema>;

export const MutationResultSchema = z.object({
  mutationId: IdSchema,
  status: z.enum(RESULT_STATUSES),
  /** `duplicate` only: the first answer's status (absent from a server before protocol 2). */
  firstStatus: z.enum(FIRST_STATUSES).optional(),
  version: z.number().int().optional(),
  reason: ReasonSchema.optional(),
  serverRow: z.record(z.string(), z.unknown()).optional(),
  warnings: z.array(WarningSchema).optional(),
});
export type MutationResult = z.infer<typeof MutationResultSchema>;

export const PushResponseSchema = z.object({
  results: z.array(MutationResultSchema),
  serverTime: TimestampSchema.optional(),
  clockSkewMs: z.number().optional(),
});
export type PushResponse = z.infer<typeof PushResponseSchema>;

/** A push answer as the workstation reads it: a reason or warning code it does not know is `unknown`. */
export const ReceivedPushResponseSchema = PushResponseSchema.extend({
  results: z.array(
    MutationResultSchema.extend({
      reason: z.object({ code: knownCode(REASON_CODES), message: z.string() }).optional(),
      warnings: z
        .array(z.object({ code: knownCode(WARNING_CODES), message: z.string() }))
        .optional(),
    }),
  ),
});
export type ReceivedPushResponse = z.infer<typeof ReceivedPushResponseSchema>;
export type ReceivedMutationResult = ReceivedPushResponse['results'][number];

export const PullQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(MAX_PULL_LIMIT),
});
/** A JSON object, checked as one without walking its members: a first pull reads a million. */
const JsonObjectSchema = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'Expected an object',
);

export const ChangeSchema = z.object({
  table: z.string(),
  id: IdSchema,
  version: z.number().int(),
  row: JsonObjectSchema,
});
export type Change = z.infer<typeof ChangeSchema>;
export const PullResponseSchema = z.object({
  changes: z.array(ChangeSchema),
  cursor: z.string(),
  hasMore: z.boolean(),
});
export type PullResponse = z.infer<typeof PullResponseSchema>;

export const ReserveIdsRequestSchema = z.object({
  kind: z.literal('mrn'),
  count: z.number().int().min(1).max(MAX_ID_RESERVATION),
});
export const ReserveIdsResponseSchema = z.object({ values: z.array(z.string()) });

export const GENESIS_HASH = '0'.repeat(64);
export const AuditEventSchema = z.object({
  id: IdSchema,
  deviceSeq: z.number().int().nonnegative(),
  at: TimestampSchema,
  userId: IdSchema.nullable(),
  action: z.string().min(1).max(64),
  entity: z.string().min(1).max(64),
  entityId: z.string().max(64).nullable(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Protocol 2: as a mutation's; an event that fails the check is kept and counted `unverified`. */
  signature: z.string().max(1024).optional(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/**
 * What an audit event's `before` and `after` carry (issue 15). The protocol leaves them open, so
 * the event's person, role, outcome and patient travel inside `after`; a change names its fields
 * and carries a sha256 of their canonical JSON, never the values, which stay in the records'
 * history. The server reads these to index the trail; an event of another shape is still kept.
 */
export const AUDIT_OUTCOMES = ['done', 'refused', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
const HashSchema = z.string().regex(/^[0-9a-f]{64}$/);
export const AuditChangeSchema = z
  .object({ fields: z.array(z.string().max(64)).max(200), valuesHash: HashSchema })
  .strict();
export type AuditChange = z.infer<typeof AuditChangeSchema>;
/** Codes, ids, counts and flags: what an event is about, never what a person typed. */
export const AuditDetailsSchema = z.record(
  z.string().max(64),
  z.union([z.string().max(200), z.number(), z.boolean(), z.null()]),
);
export type AuditDetails = z.infer<typeof AuditDetailsSchema>;
export const AuditContextSchema = z
  .object({
    role: z.string().max(64).nullable(),
    outcome: z.enum(AUDIT_OUTCOMES),
    patientId: IdSchema.optional(),
    purpose: z.string().max(200).optional(),
    fields: AuditChangeSchema.shape.fields.optional(),
    valuesHash: HashSchema.optional(),
    details: AuditDetailsSchema.optional(),
  })
  .strict();
export type AuditContext = z.infer<typeof AuditContextSchema>;
export const AuditPushRequestSchema = z.object({
  events: z.array(AuditEventSchema).max(MAX_PUSH_BATCH),
});
export const AuditPushResponseSchema = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  chainBroken: z.boolean(),
  /** Accepted events whose signature did not verify: stored and flagged, never dropped. */
  unverified: z.number().int(),
  /**
   * Wardline extension (docs/SYNC.md "Audit events the server cannot store"): events the server
   * could not store at all (a NUL character in a text), each with the reason; the rest of the
   * push is stored. Absent when there are none.
   */
  refused: z.array(z.object({ id: IdSchema, message: z.string() })).optional(),
});

/**
 * The access report (issue 15): who touched a patient's record, or what a person touched, across
 * every workstation of the hospital, from the trail the server holds. A signed read needing
 * `audit:read`. Not yet in SYNC-PROTOCOL.md: an extension of this server, see docs/SYNC.md.
 */
export const MAX_ACCESS_REPORT_ENTRIES = 2000;
export const AccessReportQuerySchema = z
  .object({
    patientId: IdSchema.optional(),
    userId: IdSchema.optional(),
    from: TimestampSchema.optional(),
    to: TimestampSchema.optional(),
  })
  .refine((query) => (query.patientId === undefined) !== (query.userId === undefined), {
    message: 'Name either a patient (patientId) or a person (userId).',
  });
export type AccessReportQuery = z.infer<typeof AccessReportQuerySchema>;
export const AccessEntrySchema = z.object({
  at: TimestampSchema,
  userId: IdSchema.nullable(),
  userName: z.string().nullable(),
  role: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  patientId: IdSchema.nullable(),
  outcome: z.string().nullable(),
  purpose: z.string().nullable(),
  /** The device's name as enrolled; the server for a read it answered itself. */
  workstation: z.string().nullable(),
  /** `workstation`: an event a device pushed; `server`: a signed read the server recorded. */
  source: z.enum(['workstation', 'server']),
  /** Set when the event's chain link or signature did not hold: shown, never hidden. */
  integrity: z.string().nullable(),
});
export type AccessEntry = z.infer<typeof AccessEntrySchema>;
export const AccessReportSchema = z.object({
  entries: z.array(AccessEntrySchema).max(MAX_ACCESS_REPORT_ENTRIES),
  /** More entries matched than the answer carries: narrow the dates. */
  truncated: z.boolean(),
});
export type AccessReport = z.infer<typeof AccessReportSchema>;

export const GlobalEmrParamsSchema = z.object({ patientId: IdSchema });
export const GlobalEmrSchema = z.object({
  patientId: IdSchema,
  entries: z.array(
    z.object({
      visitId: IdSchema,
      sourceHospitalId: IdSchema,
      admittedAt: TimestampSchema,
      dischargedAt: TimestampSchema.nullable(),
      record: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type GlobalEmr = z.infer<typeof GlobalEmrSchema>;

/** `GET /v1/devices` (Fleet): the workstations of the reader's hospital, as last reported. */
export const FleetDeviceSchema = z.object({
  id: IdSchema,
  name: z.string(),
  hospitalId: IdSchema,
  enrolledAt: TimestampSchema,
  lastSeenAt: TimestampSchema.nullable(),
  appVersion: z.string().nullable(),
  outboxPending: z.number().int().nullable(),
  oldestPendingAt: TimestampSchema.nullable(),
  clockSkewMs: z.number().int().nullable(),
  revokedAt: TimestampSchema.nullable(),
});
export type FleetDevice = z.infer<typeof FleetDeviceSchema>;
export const FleetSchema = z.object({ devices: z.array(FleetDeviceSchema) });
export type Fleet = z.infer<typeof FleetSchema>;

// Wardline extensions for a new workstation's first sync (docs/SYNC.md "Snapshot first sync" and
// "Scope"): not in SYNC-PROTOCOL.md, whose pull they leave unchanged.

/** The most rows a snapshot page may carry. */
export const MAX_SNAPSHOT_PAGE_ROWS = 100_000;
/** `GET /v1/sync/snapshot`: one page of a consistent snapshot of the device's scope. */
export const SnapshotQuerySchema = z.object({
  /** The `next` of the page before; none for the first page. */
  token: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_SNAPSHOT_PAGE_ROWS).default(20_000),
  /** Scoped: clinical rows only of stays admitted, or ended at or after this instant. */
  dischargedAfter: TimestampSchema.optional(),
});
export type SnapshotQuery = z.infer<typeof SnapshotQuerySchema>;
/**
 * The first line of a snapshot page (gzip-compressed NDJSON). `cursor` is the pull cursor to
 * continue from once every page is loaded; `next` the token of the following page (null: last);
 * `total` the rows of the whole snapshot, sent with the first page only.
 */
export const SnapshotHeaderSchema = z.object({
  snapshot: z.literal(1),
  cursor: z.string(),
  next: z.string().nullable(),
  rows: z.number().int().min(0),
  total: z.number().int().min(0).nullable(),
});
export type SnapshotHeader = z.infer<typeof SnapshotHeaderSchema>;
/** A table section of a page: the column names (camelCase) its row arrays follow. */
export const SnapshotSectionSchema = z.object({
  table: z.string(),
  columns: z.array(z.string()).optional(),
  /** Rows of people outside the hospital, as objects in their catalog entry's outsider view. */
  outsiders: z.literal(true).optional(),
});
export type SnapshotSection = z.infer<typeof SnapshotSectionSchema>;

/** `GET /v1/sync/stays/:visitId`: one stay's clinical rows, for an older chart opened online. */
export const StayParamsSchema = z.object({ visitId: IdSchema });
export const StayRowsSchema = z.object({ visitId: IdSchema, changes: z.array(ChangeSchema) });
export type StayRows = z.infer<typeof StayRowsSchema>;

/**
 * Wardline extension (docs/SYNC.md "A rescue file"): `POST /v1/devices/:deviceId/rescue`. An
 * administrator relays, from an enrolled workstation of the same hospital, the unsent changes
 * and audit events of another workstation (`deviceId`, revoked or being retired) as that
 * workstation signed and numbered them. The server takes them exactly as it would have from that
 * workstation's own push: same signature checks (its keys), same device numbering, same
 * idempotency by mutation and event id.
 */
export const RescueParamsSchema = z.object({ deviceId: IdSchema });
export const RescueRequestSchema = z.object({
  mutations: z.array(MutationSchema).max(MAX_PUSH_BATCH),
  events: z.array(AuditEventSchema).max(MAX_PUSH_BATCH),
});
export type RescueRequest = z.infer<typeof RescueRequestSchema>;
export const RescueResponseSchema = z.object({
  results: ReceivedPushResponseSchema.shape.results,
  audit: AuditPushResponseSchema,
});
export type RescueResponse = z.infer<typeof RescueResponseSchema>;

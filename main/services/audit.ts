/**
 * The device's audit chain (SYNC-PROTOCOL.md "audit/push"): every write and every chart read
 * appends one event whose hash covers the previous one, so an edited or deleted event shows.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { auditSigningText } from '../../shared/authorship';
import {
  canonicalJson,
  GENESIS_HASH,
  verifyAuditChain,
  type ChainFinding,
  type UnhashedAuditEvent,
} from '../../shared/audit-chain';
import type {
  AuditChange,
  AuditContext,
  AuditDetails,
  AuditEvent,
  AuditOutcome,
} from '../../shared/protocol';
import type { LocalDb } from '../../db/local/open';
import { auditLogs, auditPushState } from '../../db/local/schema';
import type { Signer } from '../auth/signer';
import type { ReplicaReader } from './replica-reader';

export interface AuditInput {
  action: string;
  entity: string;
  entityId: string | null;
  /** `done` unless said otherwise: a refusal or a failure is an event too. */
  outcome?: AuditOutcome;
  /** The patient the event concerns, whenever one does. */
  patientId?: string | null;
  purpose?: string;
  /** A change: the fields and the hash of their old and new values (`describeValues`). */
  before?: AuditChange;
  after?: AuditChange;
  details?: AuditDetails;
}

/** Who acts, as what, and when: the write path's actor, or a sign-in's person. */
export interface AuditAuthor {
  userId: string | null;
  /** The person's role at the time; null for an event without a person (enrollment). */
  role: string | null;
  at: string;
}

/**
 * The field names of `values` and a sha256 of their canonical JSON: enough to check a value
 * against the records' history, never the value itself (issue 15, no patient data in audit).
 */
export function describeValues(values: Record<string, unknown>): AuditChange {
  return {
    fields: Object.keys(values)
      .filter((key) => values[key] !== undefined)
      .sort(),
    valuesHash: createHash('sha256').update(canonicalJson(values), 'utf8').digest('hex'),
  };
}

/** `after` carries the event's context (role, outcome, patient) beside the new values' hash. */
function eventContext(input: AuditInput, author: AuditAuthor): AuditContext {
  return {
    role: author.role,
    outcome: input.outcome ?? 'done',
    ...(input.patientId ? { patientId: input.patientId } : {}),
    ...(input.purpose === undefined ? {} : { purpose: input.purpose }),
    ...(input.after ?? {}),
    ...(input.details === undefined ? {} : { details: input.details }),
  };
}

type AuditRow = typeof auditLogs.$inferSelect;

// Every write appends one event: its two statements are prepared once per connection.
const statements = new WeakMap<LocalDb['$client'], ReturnType<typeof prepareAudit>>();

function prepareAudit(db: LocalDb) {
  return {
    last: db.$client.prepare<[], { deviceSeq: number; hash: string }>(
      'select device_seq as deviceSeq, hash from audit_logs order by device_seq desc limit 1',
    ),
    insert: db.$client.prepare(
      `insert into audit_logs (id, device_seq, at, user_id, action, entity, entity_id, before, after, prev_hash, hash, signature)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}

function auditStatements(db: LocalDb) {
  let prepared = statements.get(db.$client);
  if (!prepared) {
    prepared = prepareAudit(db);
    statements.set(db.$client, prepared);
  }
  return prepared;
}

/**
 * The same bytes as `hashAuditEvent` of shared/audit-chain.ts (sha256 of prevHash + canonical
 * JSON), hashed by Node's native sha256: the pure-JS one shared/ must use cost about a quarter of
 * every write. A unit test holds the two equal; `verifyDeviceAuditChain` checks with the shared one.
 */
export function hashAuditEventNative(event: UnhashedAuditEvent & { hash?: string }): string {
  const { hash: _hash, signature: _signature, ...withoutHash } = event as AuditEvent;
  return createHash('sha256')
    .update(event.prevHash + canonicalJson(withoutHash), 'utf8')
    .digest('hex');
}

const jsonOrNull = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/**
 * The event as it travels (SYNC-PROTOCOL.md "audit/push"). Null and absent are the same for the
 * hash and the signature: the column cannot tell them apart.
 */
export function toAuditEvent(
  row: Omit<AuditRow, 'signature'> & { signature?: string | null },
): AuditEvent {
  const { before, after, signature, ...rest } = row;
  return {
    ...rest,
    ...(before === null || before === undefined ? {} : { before }),
    ...(after === null || after === undefined ? {} : { after }),
    ...(signature === null || signature === undefined ? {} : { signature }),
  };
}

/**
 * Appends one event, signed by `signer` (the event's person) over the event with its hash. No
 * signer: an event without a person (enrollment), or by a person with no key here yet, whose
 * events are signed at their next online sign-in if still unsent (signUnsignedAuditEvents).
 */
export function appendAuditEvent(
  db: LocalDb,
  input: AuditInput & AuditAuthor,
  signer: Signer | null = null,
): AuditEvent {
  const prepared = auditStatements(db);
  const last = prepared.last.get();
  const unhashed = toAuditEvent({
    id: uuidv7(),
    deviceSeq: (last?.deviceSeq ?? 0) + 1,
    at: input.at,
    userId: input.userId,
    action: input.action,
    entity: input.entity,
    entityId: input.entityId,
    before: input.before ?? null,
    after: eventContext(input, input),
    prevHash: last?.hash ?? GENESIS_HASH,
    hash: '',
  });
  const hashed = { ...unhashed, hash: hashAuditEventNative(unhashed) };
  const event = signer ? { ...hashed, signature: signEvent(signer, hashed) } : hashed;
  prepared.insert.run(
    event.id,
    event.deviceSeq,
    event.at,
    event.userId,
    event.action,
    event.entity,
    event.entityId,
    jsonOrNull(event.before),
    jsonOrNull(event.after),
    event.prevHash,
    event.hash,
    event.signature ?? null,
  );
  return event;
}

function signEvent(signer: Signer, event: AuditEvent): string {
  if (event.userId !== signer.userId)
    throw new Error('audit: an event is signed only by the person it names');
  return signer.sign(auditSigningText(event));
}

/**
 * Signs the person's events that were written while they had no key on this workstation and are
 * not sent yet, once their first online sign-in here has made one. Sent ones stay as they went:
 * the server kept them, flagged `unverified`.
 */
export function signUnsignedAuditEvents(db: LocalDb, signer: Signer): number {
  const rows = db
    .select()
    .from(auditLogs)
    .where(
      and(
        eq(auditLogs.userId, signer.userId),
        isNull(auditLogs.signature),
        gt(auditLogs.deviceSeq, auditPushedThrough(db)),
        // A failed sign-in names the account tried, not who tried it: its owner does not vouch
        // for it by signing in later.
        sql`not (${auditLogs.action} = 'auth.sign_in' and json_extract(${auditLogs.after}, '$.outcome') = 'refused')`,
      ),
    )
    .orderBy(asc(auditLogs.deviceSeq))
    .all();
  if (rows.length === 0) return 0;
  db.transaction((tx) => {
    for (const row of rows) {
      tx.update(auditLogs)
        .set({ signature: signEvent(signer, toAuditEvent(row)) })
        .where(eq(auditLogs.id, row.id))
        .run();
    }
  });
  return rows.length;
}

/** Every event up to this device sequence number is held by the server (main/sync/audit-push.ts). */
export function auditPushedThrough(db: ReplicaReader): number {
  return (
    db
      .select({ seq: auditPushState.pushedThroughSeq })
      .from(auditPushState)
      .where(eq(auditPushState.id, 1))
      .get()?.seq ?? 0
  );
}

/** Walks this device's whole chain and names every event that does not hold. */
export function verifyDeviceAuditChain(db: ReplicaReader): ChainFinding[] {
  const rows = db.select().from(auditLogs).orderBy(asc(auditLogs.deviceSeq)).all();
  return verifyAuditChain(rows.map(toAuditEvent));
}

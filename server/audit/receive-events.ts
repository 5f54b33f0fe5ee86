import type { FastifyBaseLogger } from 'fastify';
import type pg from 'pg';
import { verifyAuditChain } from '../../shared/audit-chain';
import { auditSigningText } from '../../shared/authorship';
import { AuditContextSchema, type AuditEvent } from '../../shared/protocol';
import { checkSignature, loadSigningKeys, type SignatureCheck } from '../authorship/signing-keys';
import type { AuthenticatedDevice } from '../devices/enrollment';
import { insertRecords } from '../sync/rows';

export interface AuditPushResult {
  accepted: number;
  duplicates: number;
  chainBroken: boolean;
  unverified: number;
  refused?: { id: string; message: string }[];
}

/**
 * A NUL character (pasted from a scanner or another program) cannot be stored in PostgreSQL's
 * text or JSON: an event holding one is refused on its own, as a pushed change is
 * (server/sync/push.ts), instead of failing the whole push with a 500. The next event's link
 * then shows the gap, stored and flagged like any other; the event stays in the workstation's chain.
 */
const NUL_IN_EVENT =
  'This audit event holds a character that cannot be stored (a NUL character); it stays on the workstation.';

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).some(([key, item]) => key.includes('\u0000') || holdsNul(item));
  return false;
}

/**
 * Each event's signature checked with a key its person registered from this device. An event
 * that names no person (the device's own enrollment) has nobody to prove it: it counts as
 * `missing` like an unsigned one.
 */
async function checkSignatures(
  pool: pg.Pool,
  deviceId: string,
  events: readonly AuditEvent[],
): Promise<Map<string, Exclude<SignatureCheck, 'verified'>>> {
  const keys = await loadSigningKeys(
    pool,
    deviceId,
    events.flatMap((event) => (event.userId === null ? [] : [event.userId])),
  );
  const checks = await Promise.all(
    events.map(async (event) => ({
      id: event.id,
      check:
        event.userId === null
          ? ('missing' as const)
          : await checkSignature(keys.get(event.userId), auditSigningText(event), event.signature),
    })),
  );
  return new Map(
    checks.flatMap(({ id, check }) => (check === 'verified' ? [] : [[id, check] as const])),
  );
}

/**
 * Stores a device's audit events, idempotent by id, checking each new event's link to the one
 * before it (the device's last stored event, or the genesis) and its person's signature. A gap,
 * a bad hash or a signature that does not verify is stored with the event and flagged, never
 * dropped: the trail must show what the device sent.
 */
export async function receiveAuditEvents(
  pool: pg.Pool,
  device: AuthenticatedDevice,
  events: readonly AuditEvent[],
  options: { now: Date; log: FastifyBaseLogger },
): Promise<AuditPushResult> {
  const signatureIssues = await checkSignatures(pool, device.id, events);
  const client = await pool.connect();
  try {
    await client.query('begin');
    // One device's chain is verified by one request at a time.
    await client.query("select pg_advisory_xact_lock(hashtext('audit:' || $1))", [device.id]);
    const known = await client.query<{ id: string }>(
      'select id from audit_logs where id = any($1::uuid[])',
      [events.map((event) => event.id)],
    );
    const seen = new Set(known.rows.map((row) => row.id));
    const unseen = [
      ...new Map(
        events.filter((event) => !seen.has(event.id)).map((event) => [event.id, event]),
      ).values(),
    ].sort((a, b) => a.deviceSeq - b.deviceSeq);
    const refused = unseen.filter(holdsNul);
    const fresh = unseen.filter((event) => !refused.includes(event));
    const first = fresh[0];
    const previous = first
      ? await client.query<{ device_seq: string; hash: string }>(
          `select device_seq, hash from audit_logs where device_id = $1 and device_seq < $2
            order by device_seq desc limit 1`,
          [device.id, first.deviceSeq],
        )
      : null;
    const before = previous?.rows[0];
    const findings = verifyAuditChain(
      fresh,
      before ? { deviceSeq: Number(before.device_seq), hash: before.hash } : null,
    );
    const issues = new Map(findings.map((finding) => [finding.eventId, finding.issue]));
    await insertRecords(
      client,
      'audit_logs',
      fresh.map((event) => ({
        id: event.id,
        deviceId: device.id,
        hospitalId: device.hospitalId,
        deviceSeq: event.deviceSeq,
        at: event.at,
        receivedAt: options.now.toISOString(),
        userId: event.userId,
        action: event.action,
        entity: event.entity,
        entityId: event.entityId,
        before: event.before ?? null,
        after: event.after ?? null,
        prevHash: event.prevHash,
        hash: event.hash,
        chainIssue: issues.get(event.id) ?? null,
        signature: event.signature ?? null,
        signatureIssue: signatureIssues.get(event.id) ?? null,
        ...indexedContext(event),
      })),
    );
    await client.query('commit');
    const unverified = fresh.filter((event) => signatureIssues.has(event.id));
    logUnverified(options.log, device, unverified, signatureIssues);
    if (refused.length > 0)
      options.log.warn(
        { deviceId: device.id, events: refused.map((event) => event.id) },
        'audit: events holding a NUL character were refused',
      );
    return {
      accepted: fresh.length,
      duplicates: events.length - unseen.length,
      chainBroken: issues.size > 0,
      unverified: unverified.length,
      ...(refused.length > 0
        ? { refused: refused.map((event) => ({ id: event.id, message: NUL_IN_EVENT })) }
        : {}),
    };
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The event's person's role, its outcome and its patient, read from `after` (AuditContextSchema)
 * into columns the access report searches by. An event of another shape (a protocol-1 client)
 * is kept as sent, with these left null.
 */
function indexedContext(event: AuditEvent): {
  patientId: string | null;
  role: string | null;
  outcome: string | null;
} {
  const context = AuditContextSchema.safeParse(event.after);
  if (!context.success) return { patientId: null, role: null, outcome: null };
  return {
    patientId: context.data.patientId ?? null,
    role: context.data.role,
    outcome: context.data.outcome,
  };
}

/** A person's unproven events are kept; the log says whose, never what they did or saw. */
function logUnverified(
  log: FastifyBaseLogger,
  device: AuthenticatedDevice,
  events: readonly AuditEvent[],
  issues: ReadonlyMap<string, SignatureCheck>,
): void {
  const byPerson = events.filter((event) => event.userId !== null);
  if (byPerson.length === 0) return;
  log.warn(
    {
      deviceId: device.id,
      userIds: [...new Set(byPerson.map((event) => event.userId))],
      events: byPerson.length,
      issues: [...new Set(byPerson.map((event) => issues.get(event.id)))],
    },
    'audit: events whose signature does not verify were stored and flagged',
  );
}

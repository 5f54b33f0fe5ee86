import type pg from 'pg';
import { verifyAuditChain } from '../../shared/audit-chain';
import type { AuditEvent } from '../../shared/protocol';
import type { AuthenticatedDevice } from '../devices/enrollment';
import { insertRecords } from '../sync/rows';

export interface AuditPushResult {
  accepted: number;
  duplicates: number;
  chainBroken: boolean;
}

/**
 * Stores a device's audit events, idempotent by id, checking each new event's link to the one
 * before it (the device's last stored event, or the genesis). A gap or a bad hash is stored
 * with the event and flagged, never dropped: the trail must show what the device sent.
 */
export async function receiveAuditEvents(
  pool: pg.Pool,
  device: AuthenticatedDevice,
  events: readonly AuditEvent[],
): Promise<AuditPushResult> {
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
    const fresh = [
      ...new Map(
        events.filter((event) => !seen.has(event.id)).map((event) => [event.id, event]),
      ).values(),
    ].sort((a, b) => a.deviceSeq - b.deviceSeq);
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
        receivedAt: new Date().toISOString(),
        userId: event.userId,
        action: event.action,
        entity: event.entity,
        entityId: event.entityId,
        before: event.before ?? null,
        after: event.after ?? null,
        prevHash: event.prevHash,
        hash: event.hash,
        chainIssue: issues.get(event.id) ?? null,
      })),
    );
    await client.query('commit');
    return {
      accepted: fresh.length,
      duplicates: events.length - fresh.length,
      chainBroken: issues.size > 0,
    };
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

import { asc, eq, gt, sql } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { auditLogs, auditPushState } from '../../db/local/schema';
import { MAX_PUSH_BATCH, MAX_PUSH_BYTES } from '../../shared/protocol';
import { auditPushedThrough, toAuditEvent } from '../services/audit';
import { firstWithinBytes } from './push-size';
import { TransportError, type SyncTransport } from './transport';

export type AuditAlertReason = 'chain_broken' | 'unverified';

/**
 * Whether an unsent event is a break-glass start or a read under one (issue 15): the sync then
 * sends the audit chain before the outbox and the pull, so the privacy officer hears of it first.
 * The chain goes in order, so the events before it go too.
 */
export function hasUnsentBreakGlass(db: LocalDb): boolean {
  return (
    db
      .select({ id: auditLogs.id })
      .from(auditLogs)
      .where(
        sql`${auditLogs.deviceSeq} > ${auditPushedThrough(db)} and json_extract(${auditLogs.after}, '$.purpose') like 'break-glass%'`,
      )
      .limit(1)
      .get() !== undefined
  );
}

/**
 * Sends the audit events the server has not acknowledged, oldest first. They stay in the replica
 * afterwards, untouched (the rows are append-only): the server's acknowledgement is a cursor in
 * `audit_push_state`, so the workstation's own chain stays verifiable.
 *
 * A batch is cut by size as well as by count, and halved for as long as the server answers 413:
 * an event carries its change, and 500 long notes overflow the server's body limit. An event is
 * never set aside (that would break the chain): one the server refuses fails this phase alone.
 *
 * The server's verdict is raised, not ignored (issue 15): `chainBroken`, or a signed event it
 * could not verify, records a security alert administrators see (`readAuditAlert`). Events sent
 * without a signature (enrollment, a failed sign-in, a person with no key yet) are expected to
 * come back `unverified` and raise nothing.
 */
export async function pushAuditEvents(
  db: LocalDb,
  transport: SyncTransport,
  options: { now?: () => Date; batchBytes?: number } = {},
): Promise<{ sent: number; chainBroken: boolean; unverified: number }> {
  const now = options.now ?? (() => new Date());
  const batchBytes = options.batchBytes ?? MAX_PUSH_BYTES;
  let batchSize = MAX_PUSH_BATCH;
  let sent = 0;
  let chainBroken = false;
  let unverified = 0;
  // Chart-read events commit with synchronous=NORMAL (auditRead in main/services/write-path.ts):
  // flush the WAL to disk before sending any, so the server never holds an event a power cut
  // could take back here.
  db.$client.pragma('wal_checkpoint(PASSIVE)');
  for (;;) {
    const rows = db
      .select()
      .from(auditLogs)
      .where(gt(auditLogs.deviceSeq, auditPushedThrough(db)))
      .orderBy(asc(auditLogs.deviceSeq))
      .limit(batchSize)
      .all();
    if (rows.length === 0) return { sent, chainBroken, unverified };
    const events = firstWithinBytes(rows.map(toAuditEvent), batchBytes, (event) => event);
    const last = events.at(-1);
    if (!last) return { sent, chainBroken, unverified };
    let answer: Awaited<ReturnType<SyncTransport['pushAudit']>>;
    try {
      answer = await transport.pushAudit(events);
    } catch (error) {
      if (!(error instanceof TransportError) || error.status !== 413 || events.length === 1)
        throw error;
      batchSize = Math.ceil(events.length / 2);
      continue;
    }
    chainBroken ||= answer.chainBroken;
    unverified += answer.unverified;
    const unsigned = events.filter((event) => event.signature === undefined).length;
    const unverifiedSigned = Math.max(0, answer.unverified - unsigned);
    recordPush(db, {
      pushedThroughSeq: last.deviceSeq,
      alert: answer.chainBroken ? 'chain_broken' : unverifiedSigned > 0 ? 'unverified' : null,
      unverifiedSigned,
      at: now().toISOString(),
    });
    sent += events.length;
  }
}

function recordPush(
  db: LocalDb,
  push: {
    pushedThroughSeq: number;
    alert: AuditAlertReason | null;
    unverifiedSigned: number;
    at: string;
  },
): void {
  const alert = push.alert ? { alertAt: push.at, alertReason: push.alert } : {};
  db.insert(auditPushState)
    .values({
      id: 1,
      pushedThroughSeq: push.pushedThroughSeq,
      unverifiedSigned: push.unverifiedSigned,
      ...alert,
    })
    .onConflictDoUpdate({
      target: auditPushState.id,
      set: {
        pushedThroughSeq: push.pushedThroughSeq,
        unverifiedSigned: sql`${auditPushState.unverifiedSigned} + ${push.unverifiedSigned}`,
        ...alert,
      },
    })
    .run();
}

export interface AuditAlert {
  reason: AuditAlertReason;
  at: string;
  unverifiedSigned: number;
}

/** The server's last word against this device's trail, for administrators; null when none. */
export function readAuditAlert(db: Pick<LocalDb, 'select'>): AuditAlert | null {
  const state = db.select().from(auditPushState).where(eq(auditPushState.id, 1)).get();
  if (!state?.alertAt || !state.alertReason) return null;
  return {
    reason: state.alertReason,
    at: state.alertAt,
    unverifiedSigned: state.unverifiedSigned,
  };
}

import { asc, inArray, isNull } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { auditLogs } from '../../db/local/schema';
import { MAX_PUSH_BATCH, MAX_PUSH_BYTES } from '../../shared/protocol';
import { toAuditEvent } from '../services/audit';
import { firstWithinBytes } from './push-size';
import { TransportError, type SyncTransport } from './transport';

/**
 * Sends the audit events the server has not acknowledged, oldest first. They stay in the replica
 * afterwards (marked pushed): the workstation's own chain must stay verifiable.
 *
 * A batch is cut by size as well as by count, and halved for as long as the server answers 413:
 * an event carries its change, and 500 long notes overflow the server's body limit. An event is
 * never set aside (that would break the chain): one the server refuses fails this phase alone.
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
      .where(isNull(auditLogs.pushedAt))
      .orderBy(asc(auditLogs.deviceSeq))
      .limit(batchSize)
      .all();
    if (rows.length === 0) return { sent, chainBroken, unverified };
    const events = firstWithinBytes(rows.map(toAuditEvent), batchBytes, (event) => event);
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
    db.update(auditLogs)
      .set({ pushedAt: now().toISOString() })
      .where(
        inArray(
          auditLogs.id,
          events.map((event) => event.id),
        ),
      )
      .run();
    sent += events.length;
  }
}

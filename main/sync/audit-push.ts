import { asc, inArray, isNull } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { auditLogs } from '../../db/local/schema';
import { MAX_PUSH_BATCH } from '../../shared/protocol';
import { toAuditEvent } from '../services/audit';
import type { SyncTransport } from './transport';

/**
 * Sends the audit events the server has not acknowledged, oldest first. They stay in the replica
 * afterwards (marked pushed): the workstation's own chain must stay verifiable.
 */
export async function pushAuditEvents(
  db: LocalDb,
  transport: SyncTransport,
  options: { now?: () => Date } = {},
): Promise<{ sent: number; chainBroken: boolean; unverified: number }> {
  const now = options.now ?? (() => new Date());
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
      .limit(MAX_PUSH_BATCH)
      .all();
    if (rows.length === 0) return { sent, chainBroken, unverified };
    const answer = await transport.pushAudit(rows.map(toAuditEvent));
    chainBroken ||= answer.chainBroken;
    unverified += answer.unverified;
    db.update(auditLogs)
      .set({ pushedAt: now().toISOString() })
      .where(
        inArray(
          auditLogs.id,
          rows.map((row) => row.id),
        ),
      )
      .run();
    sent += rows.length;
  }
}

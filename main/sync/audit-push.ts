import { asc, inArray, isNull } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { auditLogs } from '../../db/local/schema';
import { MAX_PUSH_BATCH, type AuditEvent } from '../../shared/protocol';
import type { SyncTransport } from './transport';

/**
 * Sends the audit events the server has not acknowledged, oldest first. They stay in the replica
 * afterwards (marked pushed): the workstation's own chain must stay verifiable.
 */
export async function pushAuditEvents(
  db: LocalDb,
  transport: SyncTransport,
  options: { now?: () => Date } = {},
): Promise<{ sent: number; chainBroken: boolean }> {
  const now = options.now ?? (() => new Date());
  let sent = 0;
  let chainBroken = false;
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
    if (rows.length === 0) return { sent, chainBroken };
    const answer = await transport.pushAudit(rows.map(toWireEvent));
    chainBroken ||= answer.chainBroken;
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

/** Null and absent are the same for the hash (see main/services/audit.ts). */
function toWireEvent(row: typeof auditLogs.$inferSelect): AuditEvent {
  const { before, after, pushedAt: _pushedAt, ...rest } = row;
  return {
    ...rest,
    ...(before === null ? {} : { before }),
    ...(after === null ? {} : { after }),
  };
}

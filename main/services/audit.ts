/**
 * The device's audit chain (SYNC-PROTOCOL.md "audit/push"): every write and every chart read
 * appends one event whose hash covers the previous one, so an edited or deleted event shows.
 */
import { asc, desc } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { GENESIS_HASH, hashAuditEvent, verifyAuditChain, type ChainFinding } from '../../shared/audit-chain';
import type { AuditEvent } from '../../shared/protocol';
import type { LocalDb } from '../../db/local/open';
import { auditLogs } from '../../db/local/schema';

export interface AuditInput {
  action: string;
  entity: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

type AuditWriter = Pick<LocalDb, 'select' | 'insert'>;
type AuditRow = typeof auditLogs.$inferSelect;

/** Null and absent are the same for the hash: the column cannot tell them apart. */
function toAuditEvent(row: Omit<AuditRow, 'pushedAt'> & { pushedAt?: string | null }): AuditEvent {
  // pushedAt is local bookkeeping, not part of the event.
  const { before, after, pushedAt: _pushedAt, ...rest } = row;
  return {
    ...rest,
    ...(before === null || before === undefined ? {} : { before }),
    ...(after === null || after === undefined ? {} : { after }),
  };
}

export function appendAuditEvent(
  db: AuditWriter,
  input: AuditInput & { userId: string | null; at: string },
): AuditEvent {
  const last = db
    .select({ deviceSeq: auditLogs.deviceSeq, hash: auditLogs.hash })
    .from(auditLogs)
    .orderBy(desc(auditLogs.deviceSeq))
    .limit(1)
    .get();
  const unhashed = toAuditEvent({
    id: uuidv7(),
    deviceSeq: (last?.deviceSeq ?? 0) + 1,
    at: input.at,
    userId: input.userId,
    action: input.action,
    entity: input.entity,
    entityId: input.entityId,
    before: input.before ?? null,
    after: input.after ?? null,
    prevHash: last?.hash ?? GENESIS_HASH,
    hash: '',
  });
  const event = { ...unhashed, hash: hashAuditEvent(unhashed) };
  db.insert(auditLogs)
    .values({ ...event, before: event.before ?? null, after: event.after ?? null })
    .run();
  return event;
}

/** Walks this device's whole chain and names every event that does not hold. */
export function verifyDeviceAuditChain(db: LocalDb): ChainFinding[] {
  const rows = db.select().from(auditLogs).orderBy(asc(auditLogs.deviceSeq)).all();
  return verifyAuditChain(rows.map(toAuditEvent));
}

/**
 * What this workstation tells the server about itself with each push (SYNC-PROTOCOL.md "Fleet"):
 * its version, the changes it holds that the server will not have once this push is taken
 * (their number and the oldest one's time), and when it last pulled. IT reads it on the Devices
 * screen to find the workstation holding care that nobody else can see.
 */
import { and, count, eq, gt, lt, min, or } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { outbox } from '../../db/local/schema';
import type { DeviceStatus } from '../../shared/protocol';
import { readSyncState } from './sync-state';
import type { SyncTransport } from './transport';

/** An unchanged status is still sent this often, so the server's copy of lastPullAt stays near. */
export const STATUS_REFRESH_MS = 15 * 60_000;

/**
 * The status to send with a push of `batch` (device sequence numbers, in order; empty for a push
 * that carries only the status): what stays unsent if the server takes the whole batch.
 */
export function deviceStatus(
  db: Pick<LocalDb, 'select'>,
  appVersion: string,
  batch: readonly { deviceSeq: number }[],
): DeviceStatus {
  const first = batch[0]?.deviceSeq;
  const last = batch.at(-1)?.deviceSeq;
  const beyondBatch =
    first === undefined || last === undefined
      ? eq(outbox.status, 'pending')
      : and(
          eq(outbox.status, 'pending'),
          or(lt(outbox.deviceSeq, first), gt(outbox.deviceSeq, last)),
        );
  const unsent = db
    .select({ n: count(), oldest: min(outbox.clientTime) })
    .from(outbox)
    .where(beyondBatch)
    .get();
  return {
    appVersion,
    outboxPending: unsent?.n ?? 0,
    oldestPendingAt: unsent?.oldest ?? null,
    lastPullAt: readSyncState(db).lastPullAt,
  };
}

/**
 * The last status each replica's pushes carried, kept in memory: a push with nothing to send
 * carries its status only when it changed or grew old, so an idle ward does not post every
 * half minute. After a restart the first sync reports again (a new version, say).
 */
const lastReported = new WeakMap<object, { key: string; at: number }>();

const keyOf = (status: DeviceStatus) =>
  JSON.stringify([status.appVersion, status.outboxPending, status.oldestPendingAt]);

export function noteStatusReported(db: object, status: DeviceStatus, at: Date): void {
  lastReported.set(db, { key: keyOf(status), at: at.getTime() });
}

export function statusWorthReporting(db: object, status: DeviceStatus, now: Date): boolean {
  const last = lastReported.get(db);
  return (
    last === undefined || last.key !== keyOf(status) || now.getTime() - last.at >= STATUS_REFRESH_MS
  );
}

/**
 * A push with no changes in it, carrying only the status, when there is something new to say:
 * changes held back (waiting for their author's signature), a new version, or a while since.
 * Returns the clock skew the server saw, or null when nothing was sent.
 */
export async function reportStatusOnly(
  db: Pick<LocalDb, 'select'>,
  transport: Pick<SyncTransport, 'push'>,
  options: { appVersion: string; now: () => Date },
): Promise<number | null> {
  const status = deviceStatus(db, options.appVersion, []);
  if (!statusWorthReporting(db, status, options.now())) return null;
  const answer = await transport.push({
    mutations: [],
    deviceTime: options.now().toISOString(),
    status,
  });
  noteStatusReported(db, status, options.now());
  return answer.clockSkewMs ?? null;
}

/**
 * Which workstation IT should look at first (SYNC-PROTOCOL.md "Fleet"), shared by the Devices
 * screen and `npm run server -- devices list`: the one holding the oldest change the server has
 * not got, since that is care nobody else can see; then the one silent longest; revoked ones last.
 */
import type { FleetDevice } from './protocol';

/** A workstation that has not been heard from for longer than this is shown as at risk. */
export const SILENT_AFTER_MS = 24 * 60 * 60_000;

type RiskFields = Pick<FleetDevice, 'id' | 'lastSeenAt' | 'oldestPendingAt' | 'revokedAt'>;

/** Earlier first; never (null) before any time. */
function earlierFirst(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return Date.parse(a) - Date.parse(b);
}

function compareRisk(a: RiskFields, b: RiskFields): number {
  if ((a.revokedAt === null) !== (b.revokedAt === null)) return a.revokedAt === null ? -1 : 1;
  if ((a.oldestPendingAt === null) !== (b.oldestPendingAt === null))
    return a.oldestPendingAt === null ? 1 : -1;
  return (
    earlierFirst(a.oldestPendingAt, b.oldestPendingAt) ||
    // Never seen counts as silent longest.
    earlierFirst(a.lastSeenAt, b.lastSeenAt) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Most at risk first. */
export function byRisk<T extends RiskFields>(devices: readonly T[]): T[] {
  return [...devices].sort(compareRisk);
}

/**
 * Not revoked, and not heard from for longer than {@link SILENT_AFTER_MS}: a workstation never
 * heard from since its enrollment counts from then.
 */
export function isSilent(
  device: Pick<FleetDevice, 'enrolledAt' | 'lastSeenAt' | 'revokedAt'>,
  now: Date,
): boolean {
  if (device.revokedAt !== null) return false;
  return now.getTime() - Date.parse(device.lastSeenAt ?? device.enrolledAt) > SILENT_AFTER_MS;
}

/** "4 min", "3 h", "2 d": how long ago, as IT reads it at a glance. */
export function ageText(since: string, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

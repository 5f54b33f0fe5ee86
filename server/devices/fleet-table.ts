/**
 * `npm run server -- devices list`: the hospital's workstations as a plain-text table, most at
 * risk first (shared/fleet-risk.ts), so IT finds the one holding unsent care without SQL and has
 * the id `devices revoke` needs. A workstation silent for more than a day is marked `!`.
 */
import { ageText, byRisk, isSilent, SILENT_AFTER_MS } from '../../shared/fleet-risk';
import type { ListedDevice } from './fleet';

const HEADINGS = [
  '',
  'hospital',
  'name',
  'id',
  'last seen',
  'app version',
  'unsent',
  'oldest unsent',
  'revoked',
] as const;

const when = (value: string | null, now: Date): string =>
  value === null ? '-' : `${value.slice(0, 16).replace('T', ' ')} (${ageText(value, now)} ago)`;

export function fleetTable(devices: readonly ListedDevice[], now: Date): string {
  if (devices.length === 0) return 'No workstation is enrolled.\n';
  const rows = byRisk(devices).map((device) => [
    isSilent(device, now) ? '!' : '',
    device.hospitalCode,
    device.name,
    device.id,
    device.lastSeenAt === null ? 'never' : when(device.lastSeenAt, now),
    device.appVersion ?? '-',
    device.outboxPending === null ? '-' : String(device.outboxPending),
    when(device.oldestPendingAt, now),
    device.revokedAt === null ? '' : device.revokedAt.slice(0, 16).replace('T', ' '),
  ]);
  const table = [[...HEADINGS], ...rows];
  const widths = HEADINGS.map((_, column) =>
    Math.max(...table.map((row) => (row[column] ?? '').length)),
  );
  const lines = table.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  const silence = `! not heard from for more than ${SILENT_AFTER_MS / 3_600_000} h`;
  return `${lines.join('\n')}\n${silence}\n`;
}

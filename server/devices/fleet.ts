/**
 * The fleet (SYNC-PROTOCOL.md "Fleet"): each push may say how the workstation is doing (its app
 * version, the changes it holds that the server has not got, when it last pulled); the server
 * keeps the latest, with the clock skew that push showed, so IT can see which workstation is at
 * risk of holding care that nobody else can see.
 */
import type pg from 'pg';
import type { DeviceStatus, FleetDevice } from '../../shared/protocol';

/** The largest skew `devices.clock_skew_ms` (an integer) holds. */
const MAX_SKEW_MS = 2 ** 31 - 1;

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const iso = (column: string) => `to_char(${column} at time zone 'UTC', ${ISO})`;

/**
 * Keeps what a push said: its status, when it carried one, and the clock skew its `deviceTime`
 * showed. A push from an older workstation, with neither, changes nothing here.
 */
export async function recordDeviceStatus(
  pool: pg.Pool,
  report: {
    deviceId: string;
    status: DeviceStatus | null;
    clockSkewMs: number | null;
    now: Date;
  },
): Promise<void> {
  const { status, deviceId } = report;
  // A clock off by more than the column holds (about 24.8 days: a reset CMOS clock) is kept as
  // the most it holds; refusing it would fail every push of that workstation after its changes
  // were applied.
  const skew =
    report.clockSkewMs === null
      ? null
      : Math.max(-MAX_SKEW_MS, Math.min(MAX_SKEW_MS, Math.round(report.clockSkewMs)));
  if (skew !== null)
    await pool.query('update devices set clock_skew_ms = $2 where id = $1', [deviceId, skew]);
  if (status === null) return;
  await pool.query(
    `update devices set app_version = $2, outbox_pending = $3, oldest_pending_at = $4,
            last_pull_at = $5, status_at = $6
      where id = $1`,
    [
      deviceId,
      status.appVersion,
      status.outboxPending,
      status.oldestPendingAt,
      status.lastPullAt,
      report.now.toISOString(),
    ],
  );
}

interface DeviceRow {
  id: string;
  name: string;
  hospital_id: string;
  hospital_code: string;
  enrolled_at: string;
  last_seen_at: string | null;
  app_version: string | null;
  outbox_pending: number | null;
  oldest_pending_at: string | null;
  clock_skew_ms: number | null;
  revoked_at: string | null;
}

/** A workstation as IT's command line lists it: with its hospital's code. */
export type ListedDevice = FleetDevice & { hospitalCode: string };

/**
 * Every workstation ever enrolled, revoked ones included, in enrollment order: of one hospital
 * (by id, or by code for the command line), or of all when neither is given.
 */
export async function listDevices(
  pool: pg.Pool,
  scope: { hospitalId?: string; hospitalCode?: string } = {},
): Promise<ListedDevice[]> {
  const result = await pool.query<DeviceRow>(
    `select d.id, d.name, d.hospital_id, h.code as hospital_code,
            ${iso('d.enrolled_at')} as enrolled_at, ${iso('d.last_seen_at')} as last_seen_at,
            d.app_version, d.outbox_pending, ${iso('d.oldest_pending_at')} as oldest_pending_at,
            d.clock_skew_ms, ${iso('d.revoked_at')} as revoked_at
       from devices d join hospitals h on h.id = d.hospital_id
      where ($1::uuid is null or d.hospital_id = $1) and ($2::text is null or h.code = $2)
      order by d.enrolled_at, d.id`,
    [scope.hospitalId ?? null, scope.hospitalCode ?? null],
  );
  return result.rows.map((row) => ({
    id: row.id,
    name: row.name,
    hospitalId: row.hospital_id,
    hospitalCode: row.hospital_code,
    enrolledAt: row.enrolled_at,
    lastSeenAt: row.last_seen_at,
    appVersion: row.app_version,
    outboxPending: row.outbox_pending,
    oldestPendingAt: row.oldest_pending_at,
    clockSkewMs: row.clock_skew_ms,
    revokedAt: row.revoked_at,
  }));
}

/** `GET /v1/devices`: exactly the protocol's fields, for the reader's hospital. */
export async function readFleet(pool: pg.Pool, hospitalId: string): Promise<FleetDevice[]> {
  const devices = await listDevices(pool, { hospitalId });
  return devices.map(({ hospitalCode: _code, ...device }) => device);
}

/**
 * `npm run server -- devices list|revoke` against a real database: IT finds the workstation
 * holding unsent changes (listed first, with its count) and the id to revoke, without SQL; the
 * older `revoke-device --device ID` still works.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedCentralDatabase } from '../../../db/central/seed';
import { createEnrollmentCode, enrollDevice } from '../../../server/devices/enrollment';
import { recordDeviceStatus } from '../../../server/devices/fleet';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

const node = process.execPath;
const cli = ['--import', 'tsx', 'server/cli.ts'];
let database: TestDatabase;
const ids: Record<'quiet' | 'holding' | 'silent' | 'south', string> = {
  quiet: '',
  holding: '',
  silent: '',
  south: '',
};
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

async function enrolled(hospitalCode: string, deviceName: string): Promise<string> {
  const pool = database.db.$client;
  const { code } = await createEnrollmentCode(pool, { hospitalCode });
  return (await enrollDevice(pool, { code, deviceName, now: new Date() })).deviceId;
}

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(node, [...cli, ...args], {
      env: { ...process.env, DATABASE_URL: database.url },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedCentralDatabase(database.db, { demo: true });
  const pool = database.db.$client;
  ids.quiet = await enrolled('NGH', 'Ward A desk');
  ids.holding = await enrolled('NGH', 'Ward B desk');
  ids.silent = await enrolled('NGH', 'Clinic desk');
  ids.south = await enrolled('SGH', 'South desk');
  const status = { appVersion: '0.1.0', outboxPending: 0, oldestPendingAt: null, lastPullAt: null };
  const now = new Date();
  await recordDeviceStatus(pool, { deviceId: ids.quiet, status, clockSkewMs: 0, now });
  await recordDeviceStatus(pool, {
    deviceId: ids.holding,
    status: { ...status, outboxPending: 12, oldestPendingAt: hoursAgo(5).toISOString() },
    clockSkewMs: 0,
    now,
  });
  // Seen by the server at these times (it notes a device at most once a minute as it calls).
  for (const [id, seen] of [
    [ids.quiet, hoursAgo(0.1)],
    [ids.holding, hoursAgo(2)],
    [ids.silent, hoursAgo(30)],
    [ids.south, hoursAgo(1)],
  ] as const)
    await pool.query('update devices set last_seen_at = $2 where id = $1', [id, seen]);
}, 60_000);

afterAll(async () => {
  await database.drop();
});

describe('devices list', () => {
  test('a table of one hospital, the workstation holding changes first with its count', async () => {
    const { code, stdout } = await run('devices', 'list', '--hospital', 'NGH');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^\s+hospital\s+name\s+id\s+last seen\s+app version\s+unsent\s+oldest unsent\s+revoked$/,
    );
    const order = [ids.holding, ids.silent, ids.quiet];
    expect(lines.slice(1, 4).map((line) => order.find((id) => line.includes(id)))).toEqual(order);
    expect(lines[1]).toMatch(
      /Ward B desk .* 0\.1\.0\s+12\s+\d{4}-\d\d-\d\d \d\d:\d\d \(5 h ago\)$/,
    );
    expect(lines[2]).toMatch(/^!\s+NGH\s+Clinic desk .*\(30 h ago\)\s+-\s+-\s+-$/);
    expect(lines[3]).not.toMatch(/^!/);
    expect(stdout).not.toContain(ids.south);
    expect(lines.at(-1)).toBe('! not heard from for more than 24 h');
  }, 60_000);

  test('--json gives every hospital, for scripts', async () => {
    const { code, stdout } = await run('devices', 'list', '--json');
    expect(code).toBe(0);
    const listed = (JSON.parse(stdout) as { devices: { id: string; outboxPending: number }[] })
      .devices;
    expect(listed.map((device) => device.id)).toEqual(
      expect.arrayContaining([ids.quiet, ids.holding, ids.silent, ids.south]),
    );
    expect(listed.find((device) => device.id === ids.holding)?.outboxPending).toBe(12);
  }, 60_000);
});

describe('devices revoke', () => {
  test('revokes by id, and the listing says since when', async () => {
    const { code, stdout } = await run('devices', 'revoke', ids.quiet);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ deviceId: ids.quiet, revoked: true });
    const listed = await run('devices', 'list', '--hospital', 'NGH');
    const line = listed.stdout.split('\n').find((text) => text.includes(ids.quiet)) ?? '';
    expect(line).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d$/);
    // Recorded with IT's other console actions, in the revoke's own transaction.
    const recorded = await database.db.$client.query<{ actor: string; entity: string }>(
      `select actor, entity from admin_actions where action = 'devices.revoke' and entity_id = $1`,
      [ids.quiet],
    );
    expect(recorded.rows).toEqual([{ actor: 'cli', entity: 'devices' }]);
  }, 60_000);

  test('the older revoke-device --device ID still works', async () => {
    const { code, stdout } = await run('revoke-device', '--device', ids.south);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ deviceId: ids.south, revoked: true });
  }, 60_000);

  test('an unknown or malformed id is refused with a sentence, exit 2', async () => {
    const unknown = await run('devices', 'revoke', '00000000-0000-4000-8000-000000000000');
    expect(unknown).toMatchObject({ code: 2 });
    const recorded = await database.db.$client.query(
      `select 1 from admin_actions where entity_id = '00000000-0000-4000-8000-000000000000'`,
    );
    expect(recorded.rows).toHaveLength(0);
    expect(unknown.stderr).toContain('There is no device');
    const malformed = await run('devices', 'revoke', 'ward-b');
    expect(malformed).toMatchObject({ code: 2 });
    expect(malformed.stderr).toContain('devices list');
  }, 60_000);
});

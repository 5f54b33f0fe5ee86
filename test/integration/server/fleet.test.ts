/**
 * Fleet (SYNC-PROTOCOL.md, protocol 2): a push may carry the workstation's status, which the
 * server keeps (latest per device) with the clock skew the push showed; `GET /v1/devices`, a
 * signed read needing `devices:manage`, lists the workstations of the reader's hospital with
 * what they last reported, and is recorded like every signed read.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoUserId } from '../../../db/seed/demo-data';
import { revokeDeviceFromConsole } from '../../../server/devices/revoke';
import { FleetSchema, type DeviceStatus, type FleetDevice } from '../../../shared/protocol';
import {
  call,
  enroll,
  NOW,
  nurseId,
  readAs,
  type Device,
  type TestServer,
  startTestServer,
} from './harness';

const managerId = demoUserId('manager@hass.example');
let server: TestServer;
let ward: Device;
let theatre: Device;
let south: Device;

const status = (fields: Partial<DeviceStatus> = {}): DeviceStatus => ({
  appVersion: '0.1.0',
  outboxPending: 0,
  oldestPendingAt: null,
  lastPullAt: null,
  ...fields,
});

async function report(device: Device, body: Record<string, unknown>) {
  const answer = await call(server, device, 'POST', '/v1/sync/push', { mutations: [], ...body });
  expect(answer.status).toBe(200);
  return answer.body;
}

async function fleet(device: Device, userId = managerId): Promise<FleetDevice[]> {
  const answer = await readAs(server, device, userId, '/v1/devices');
  expect(answer.status).toBe(200);
  return FleetSchema.parse(answer.body).devices;
}

function entryOf(devices: FleetDevice[], device: Device): FleetDevice {
  const entry = devices.find((item) => item.id === device.id);
  if (!entry) throw new Error(`device ${device.id} is not listed`);
  return entry;
}

beforeAll(async () => {
  server = await startTestServer();
  ward = await enroll(server, 'NGH', 'Ward B desk');
  theatre = await enroll(server, 'NGH', 'Theatre desk');
  south = await enroll(server, 'SGH', 'South desk');
});

afterAll(async () => {
  await server.close();
});

describe('status with each push', () => {
  test('the latest status is kept per device, with the clock skew of that push', async () => {
    const oldest = new Date(NOW.getTime() - 3 * 3_600_000).toISOString();
    const pulled = new Date(NOW.getTime() - 3_600_000).toISOString();
    await report(ward, {
      status: status({ outboxPending: 4, oldestPendingAt: NOW.toISOString() }),
    });
    const answer = await report(ward, {
      deviceTime: new Date(NOW.getTime() + 90_000).toISOString(),
      status: status({
        appVersion: '0.2.0',
        outboxPending: 7,
        oldestPendingAt: oldest,
        lastPullAt: pulled,
      }),
    });
    expect(answer.clockSkewMs).toBe(90_000);

    const entry = entryOf(await fleet(ward), ward);
    expect(entry).toEqual({
      id: ward.id,
      name: 'Ward B desk',
      hospitalId: ward.hospitalId,
      enrolledAt: expect.any(String) as string,
      lastSeenAt: expect.any(String) as string,
      appVersion: '0.2.0',
      outboxPending: 7,
      oldestPendingAt: oldest,
      clockSkewMs: 90_000,
      revokedAt: null,
    });
    const stored = await server.database.db.$client.query<{ last_pull_at: Date }>(
      'select last_pull_at from devices where id = $1',
      [ward.id],
    );
    expect(stored.rows[0]?.last_pull_at.toISOString()).toBe(pulled);
  });

  test('a push without status (an older workstation) leaves the last one as it was', async () => {
    await report(theatre, {
      status: status({ outboxPending: 2, oldestPendingAt: NOW.toISOString() }),
    });
    await report(theatre, {});
    expect(entryOf(await fleet(ward), theatre)).toMatchObject({
      outboxPending: 2,
      oldestPendingAt: NOW.toISOString(),
      clockSkewMs: null,
    });
  });

  test('a malformed status is refused with the field named, and nothing is kept', async () => {
    const answer = await call(server, theatre, 'POST', '/v1/sync/push', {
      mutations: [],
      status: { ...status(), outboxPending: -1 },
    });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('outboxPending');
    expect(entryOf(await fleet(ward), theatre).outboxPending).toBe(2);
  });
});

describe('GET /v1/devices', () => {
  test("lists the reader's hospital only, never another's workstations", async () => {
    await report(south, { status: status({ outboxPending: 9 }) });
    const ids = (await fleet(ward)).map((item) => item.id);
    expect(ids).toEqual(expect.arrayContaining([ward.id, theatre.id]));
    expect(ids).not.toContain(south.id);
    const southIds = (await fleet(south, demoUserId('admin@hass.example'))).map((item) => item.id);
    expect(southIds).toEqual([south.id]);
  });

  test('a revoked workstation stays listed, with when it was revoked', async () => {
    const spare = await enroll(server, 'NGH', 'Spare desk');
    await revokeDeviceFromConsole(server.database.db.$client, { deviceId: spare.id, now: NOW });
    expect(entryOf(await fleet(ward), spare).revokedAt).toBe(NOW.toISOString());
  });

  test('needs devices:manage (403) and a signature (401); each read is recorded', async () => {
    const refused = await readAs(server, ward, nurseId, '/v1/devices');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'forbidden' } });
    expect((await call(server, ward, 'GET', '/v1/devices')).status).toBe(401);
    const reads = await server.database.db.$client.query<{ user_id: string; outcome: string }>(
      `select user_id, outcome from signed_reads where action = 'devices.read' and device_id = $1`,
      [ward.id],
    );
    expect(reads.rows).toContainEqual({ user_id: managerId, outcome: 'answered' });
    expect(reads.rows).toContainEqual({ user_id: nurseId, outcome: 'forbidden' });
  });
});

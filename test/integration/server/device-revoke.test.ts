/**
 * `POST /v1/devices/:deviceId/revoke` (the Devices screen's revoke): a signed request needing
 * `devices:manage`, for a workstation of the caller's own hospital and never the caller itself;
 * recorded in signed_reads; afterwards the revoked device's token answers 401.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { demoUserId } from '../../../db/seed/demo-data';
import {
  call,
  enroll,
  nurseId,
  requestAs,
  type Device,
  type TestServer,
  startTestServer,
} from './harness';

const managerId = demoUserId('manager@hass.example');
let server: TestServer;
let office: Device;
let lost: Device;
let south: Device;

beforeAll(async () => {
  server = await startTestServer();
  office = await enroll(server, 'NGH', 'IT office');
  lost = await enroll(server, 'NGH', 'Ward B laptop');
  south = await enroll(server, 'SGH', 'South desk');
});

afterAll(async () => {
  await server.close();
});

const revoke = (device: Device, userId: string, target: Device) =>
  requestAs(server, device, userId, 'POST', `/v1/devices/${target.id}/revoke`);

test('a nurse may not revoke a workstation, and it keeps working', async () => {
  const answer = await revoke(office, nurseId, lost);
  expect(answer.status).toBe(403);
  const pull = await call(server, lost, 'GET', '/v1/sync/pull?limit=1');
  expect(pull.status).toBe(200);
});

test("another hospital's workstation is not found, and this one cannot revoke itself", async () => {
  expect((await revoke(office, managerId, south)).status).toBe(404);
  const self = await revoke(office, managerId, office);
  expect(self.status).toBe(403);
  expect(JSON.stringify(self.body)).toContain('cannot revoke itself');
  expect((await call(server, south, 'GET', '/v1/sync/pull?limit=1')).status).toBe(200);
});

test('a manager revokes a workstation of their hospital: recorded, and its token stops working', async () => {
  const answer = await revoke(office, managerId, lost);
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ deviceId: lost.id });
  const pull = await call(server, lost, 'GET', '/v1/sync/pull?limit=1');
  expect(pull.status).toBe(401);
  const pool = server.database.db.$client;
  const devices = await pool.query<{ revoked_by: string }>(
    'select revoked_by from devices where id = $1',
    [lost.id],
  );
  expect(devices.rows[0]?.revoked_by).toBe(managerId);
  const reads = await pool.query<{ user_id: string; outcome: string }>(
    `select user_id, outcome from signed_reads where action = 'devices.revoke' and entity_id = $1`,
    [lost.id],
  );
  // The nurse's refused attempt is recorded too.
  expect(reads.rows).toEqual(
    expect.arrayContaining([
      { user_id: managerId, outcome: 'answered' },
      { user_id: nurseId, outcome: 'forbidden' },
    ]),
  );
});

/**
 * `POST /v1/devices/:deviceId/rescue` (docs/SYNC.md "A rescue file"): an administrator relays a
 * revoked workstation's signed changes from another workstation of the hospital. They are checked
 * and numbered as the origin's (keys registered from it), answered `duplicate` when sent again,
 * and the relay is recorded; a nurse, or another hospital's workstation, is refused.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { demoUserId } from '../../../db/seed/demo-data';
import { revokeDeviceFromConsole } from '../../../server/devices/revoke';
import type { Mutation } from '../../../shared/protocol';
import {
  enroll,
  keyOf,
  mutation,
  nurseId,
  requestAs,
  signMutation,
  startTestServer,
  vitalsRow,
  type Device,
  type TestServer,
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

const rescue = (userId: string, target: Device, mutations: Mutation[]) =>
  requestAs(server, office, userId, 'POST', `/v1/devices/${target.id}/rescue`, {
    mutations,
    events: [],
  });

const vitals = () =>
  mutation({ table: 'vitals', op: 'insert', id: randomUUID(), data: vitalsRow() });

test("a revoked workstation's changes land as its own, once; signed elsewhere they are refused", async () => {
  const signedOnLost = signMutation(await keyOf(server, lost, nurseId), vitals());
  const signedOnOffice = signMutation(await keyOf(server, office, nurseId), vitals());
  expect(
    await revokeDeviceFromConsole(server.database.db.$client, {
      deviceId: lost.id,
      now: new Date(),
    }),
  ).not.toBeNull();

  const nurse = await rescue(nurseId, lost, [signedOnLost]);
  expect(nurse.status).toBe(403);
  expect((await rescue(managerId, south, [signedOnLost])).status).toBe(404);

  const first = await rescue(managerId, lost, [signedOnLost, signedOnOffice]);
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({
    results: [
      { mutationId: signedOnLost.mutationId, status: 'applied' },
      {
        mutationId: signedOnOffice.mutationId,
        status: 'rejected',
        reason: { code: 'bad_signature' },
      },
    ],
    audit: { accepted: 0, duplicates: 0 },
  });
  const again = await rescue(managerId, lost, [signedOnLost]);
  expect(again.body).toMatchObject({
    results: [{ status: 'duplicate', firstStatus: 'applied' }],
  });

  const pool = server.database.db.$client;
  const applied = await pool.query<{ device_id: string }>(
    'select device_id from applied_mutations where mutation_id = $1',
    [signedOnLost.mutationId],
  );
  expect(applied.rows).toEqual([{ device_id: lost.id }]);
  const reads = await pool.query<{ user_id: string; outcome: string }>(
    `select user_id, outcome from signed_reads where action = 'devices.rescue' and entity_id = $1`,
    [lost.id],
  );
  expect(reads.rows).toEqual(
    expect.arrayContaining([
      { user_id: managerId, outcome: 'answered' },
      { user_id: nurseId, outcome: 'forbidden' },
    ]),
  );
});

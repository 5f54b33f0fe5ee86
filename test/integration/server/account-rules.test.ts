/**
 * The account rules on the server: `users:manage` alone does not let a pushed change raise
 * anyone above the pusher, change the pusher's own account, or touch a super administrator.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoUserId } from '../../../db/seed/demo-data';
import type { MutationResult } from '../../../shared/protocol';
import { permissionId } from '../../../shared/reference-data';
import {
  enroll,
  hospitalId,
  mutation,
  NOW,
  nurseId,
  push,
  pushOne,
  receptionId,
  startTestServer,
  type Device,
  type TestServer,
} from './harness';

const adminId = demoUserId('admin@hass.example');
const regionalId = demoUserId('regional@hass.example');
const managerId = demoUserId('manager@hass.example');
const TOMORROW = new Date(NOW.getTime() + 86_400_000).toISOString();

let server: TestServer;
let ward: Device;

beforeAll(async () => {
  server = await startTestServer();
  ward = await enroll(server);
});
afterAll(async () => {
  await server.close();
});

function expectForbidden(result: MutationResult | undefined, message: RegExp) {
  expect(result).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
  expect(result?.reason?.message).toMatch(message);
}

const grantRow = (userId: string, permission: string, overrides: Record<string, unknown> = {}) => ({
  userId,
  permissionId: permissionId(permission),
  grantedBy: regionalId,
  expiresAt: TOMORROW,
  reason: 'Cover',
  ...overrides,
});

const grantBy = (
  actor: string,
  userId: string,
  permission: string,
  overrides: Record<string, unknown> = {},
) =>
  mutation({
    table: 'user_permissions',
    op: 'insert',
    id: randomUUID(),
    userId: actor,
    data: grantRow(userId, permission, overrides),
  });

const userUpdate = (actor: string, userId: string, data: Record<string, unknown>) =>
  mutation({ table: 'users', op: 'update', id: userId, userId: actor, baseVersion: 1, data });

describe('a regional administrator pushes account changes', () => {
  test('a grant they hold is applied; the same grant again, in this batch or the next, is refused', async () => {
    const first = grantBy(regionalId, nurseId, 'audit:read');
    const results = await push(server, ward, [first, grantBy(regionalId, nurseId, 'audit:read')]);
    expect(results.map((result) => result.status)).toEqual(['applied', 'rejected']);
    expectForbidden(results[1], /already has audit:read/);
    const later = await pushOne(server, ward, grantBy(regionalId, nurseId, 'audit:read'));
    expect(later).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
    const revoke = await pushOne(
      server,
      ward,
      mutation({
        table: 'user_permissions',
        op: 'delete',
        id: first.id,
        userId: regionalId,
        baseVersion: 1,
      }),
    );
    expect(revoke.status).toBe('applied');
    expect(await pushOne(server, ward, grantBy(regionalId, nurseId, 'audit:read'))).toMatchObject({
      status: 'applied',
    });
  });

  test('escalation is refused: a permission or role beyond their own, or super administrator', async () => {
    const lab = await pushOne(server, ward, grantBy(regionalId, nurseId, 'lab_tests:accept'));
    expectForbidden(lab, /only grant permissions you hold/);
    const doctor = await pushOne(server, ward, userUpdate(regionalId, nurseId, { role: 'doctor' }));
    expectForbidden(doctor, /role whose permissions you hold/);
    const superAdmin = await pushOne(
      server,
      ward,
      userUpdate(regionalId, nurseId, { role: 'super_admin' }),
    );
    expect(superAdmin).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
    const role = await server.database.db.$client.query<{ role: string }>(
      'select role from users where id = $1',
      [nurseId],
    );
    expect(role.rows[0]?.role).toBe('nurse');
  });

  test('a grant whose expiry had passed when it was made is refused', async () => {
    const made = new Date(NOW.getTime() - 3_600_000).toISOString();
    const expired = grantBy(regionalId, receptionId, 'audit:read', {
      expiresAt: new Date(NOW.getTime() - 7_200_000).toISOString(),
    });
    expect(await pushOne(server, ward, { ...expired, clientTime: made })).toMatchObject({
      status: 'rejected',
      reason: { code: 'forbidden' },
    });
    // Made offline while still in the future, pushed after it lapsed: recorded as it happened.
    const lapsed = grantBy(regionalId, receptionId, 'audit:read', {
      expiresAt: new Date(NOW.getTime() - 60_000).toISOString(),
    });
    expect(await pushOne(server, ward, { ...lapsed, clientTime: made })).toMatchObject({
      status: 'applied',
    });
  });

  test('a super administrator bound to the hospital is edited by super administrators only', async () => {
    const itLeadId = randomUUID();
    await server.database.db.$client.query(
      `insert into users (id, hospital_id, email, full_name, role) values ($1, $2, 'it.lead@hass.example', 'IT Lead', 'super_admin')`,
      [itLeadId, hospitalId],
    );
    const byRegional = await pushOne(
      server,
      ward,
      userUpdate(regionalId, itLeadId, { active: false }),
    );
    expectForbidden(byRegional, /Only a super administrator/);
    expect(
      await pushOne(server, ward, userUpdate(adminId, itLeadId, { active: false })),
    ).toMatchObject({ status: 'applied' });
  });
});

describe('a manager covering for the administrator', () => {
  test('may manage others but never their own account', async () => {
    expect(
      await pushOne(server, ward, userUpdate(managerId, receptionId, { active: false })),
    ).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
    expect(
      await pushOne(
        server,
        ward,
        grantBy(adminId, managerId, 'users:manage', { grantedBy: adminId }),
      ),
    ).toMatchObject({ status: 'applied' });
    expect(
      await pushOne(server, ward, userUpdate(managerId, receptionId, { active: false })),
    ).toMatchObject({ status: 'applied' });
    const own = await pushOne(server, ward, userUpdate(managerId, managerId, { active: false }));
    expectForbidden(own, /own role, status or permissions/);
    expect(await pushOne(server, ward, grantBy(managerId, managerId, 'audit:read'))).toMatchObject({
      status: 'rejected',
      reason: { code: 'forbidden' },
    });
  });
});

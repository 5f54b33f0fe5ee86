/**
 * An administrator manages the hospital's staff on a workstation: every change is one write
 * (row + outbox mutation + audit event) and the account rules refuse escalation without a trace.
 */
import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  auditLogs,
  cachedCredentials,
  outbox,
  regions,
  roles,
  userPermissions,
  users,
} from '../../../db/local/schema';
import { demoUserId } from '../../../db/seed/demo-data';
import { loadPermissions } from '../../../main/auth/permissions';
import { listPermissionCatalog, listRoles } from '../../../main/services/staff-accounts';
import { PERMISSIONS } from '../../../shared/permissions';
import { ROLES } from '../../../shared/roles';
import { createTestReplica } from '../../support/sqlite';
import { createTestWorkstation, START, writeTrail, type TestWorkstation } from './support';

const adminId = demoUserId('admin@hass.example');
const nurseId = demoUserId('nurse@hass.example');
const receptionId = demoUserId('reception@hass.example');
const TOMORROW = new Date(START.getTime() + 86_400_000).toISOString();

async function refusal(
  promise: Promise<unknown>,
): Promise<{ code: string; trpc: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) {
      const cause = error.cause as { code?: string } | undefined;
      return { code: cause?.code ?? error.code, trpc: error.code, message: error.message };
    }
    throw error;
  }
  throw new Error('expected a refusal');
}

async function expectRefused(
  ws: TestWorkstation,
  write: () => Promise<unknown>,
  code: string,
  trpc = 'FORBIDDEN',
) {
  const before = writeTrail(ws);
  const refused = await refusal(write());
  expect(refused).toMatchObject({ code, trpc });
  expect(writeTrail(ws)).toEqual(before);
  return refused;
}

const lastMutation = (ws: TestWorkstation) => ws.replica.db.select().from(outbox).all().at(-1);

let ws: TestWorkstation;
beforeEach(() => {
  ws = createTestWorkstation();
});
afterEach(() => {
  ws.close();
});

describe('the admin grants the nurse lab acceptance for a night', () => {
  test('grant, see it listed and effective, revoke it: each a synced, audited write', async () => {
    ws.signInAs('super_admin');
    const granted = await ws.caller.staff.grant({
      reauthProof: await ws.reauthProof('staff.grant'),
      userId: nurseId,
      permission: 'lab_tests:accept',
      expiresAt: TOMORROW,
      reason: 'Covering the lab tonight',
    });
    expect(granted).toMatchObject({
      userId: nurseId,
      grantedBy: adminId,
      expiresAt: TOMORROW,
      reason: 'Covering the lab tonight',
    });
    expect(lastMutation(ws)).toMatchObject({
      tableName: 'user_permissions',
      op: 'insert',
      rowId: granted.id,
      userId: adminId,
    });
    expect(
      ws.replica.db
        .select()
        .from(auditLogs)
        .where(eq(auditLogs.entityId, granted.id))
        .all()
        .map((e) => e.action),
    ).toEqual(['staff.grant']);

    const nurse = (await ws.caller.staff.list()).staff.find((member) => member.id === nurseId);
    expect(nurse?.grants).toEqual([
      expect.objectContaining({
        id: granted.id,
        permission: 'lab_tests:accept',
        expiresAt: TOMORROW,
      }),
    ]);
    expect(loadPermissions(ws.replica.db, nurseId, START).has('lab_tests:accept')).toBe(true);
    expect(
      loadPermissions(ws.replica.db, nurseId, new Date(Date.parse(TOMORROW) + 1)).has(
        'lab_tests:accept',
      ),
    ).toBe(false);

    await expectRefused(
      ws,
      async () =>
        ws.caller.staff.grant({
          reauthProof: await ws.reauthProof('staff.grant'),
          userId: nurseId,
          permission: 'lab_tests:accept',
          reason: 'again',
        }),
      'grant_duplicate',
      'CONFLICT',
    );

    await ws.caller.staff.revoke({
      reauthProof: await ws.reauthProof('staff.revoke'),
      grantId: granted.id,
    });
    expect(lastMutation(ws)).toMatchObject({
      tableName: 'user_permissions',
      op: 'delete',
      rowId: granted.id,
      baseVersion: 0,
    });
    const stored = ws.replica.db
      .select()
      .from(userPermissions)
      .where(eq(userPermissions.id, granted.id))
      .get();
    expect(stored?.deletedAt).toBe(START.toISOString());
    expect(
      (await ws.caller.staff.list()).staff.find((member) => member.id === nurseId)?.grants,
    ).toEqual([]);
    expect(loadPermissions(ws.replica.db, nurseId, START).has('lab_tests:accept')).toBe(false);
    await expectRefused(
      ws,
      async () =>
        ws.caller.staff.revoke({
          reauthProof: await ws.reauthProof('staff.revoke'),
          grantId: granted.id,
        }),
      'not_found',
      'NOT_FOUND',
    );
  });

  test('an expiry in the past is refused', async () => {
    ws.signInAs('super_admin');
    const past = new Date(START.getTime() - 60_000).toISOString();
    await expectRefused(
      ws,
      async () =>
        ws.caller.staff.grant({
          reauthProof: await ws.reauthProof('staff.grant'),
          userId: nurseId,
          permission: 'audit:read',
          expiresAt: past,
          reason: 'late',
        }),
      'grant_expiry_past',
      'BAD_REQUEST',
    );
  });
});

describe('account status', () => {
  test('deactivating reception stops their access at once; reactivating restores it', async () => {
    ws.signInAs('super_admin');
    await ws.caller.staff.setActive({ userId: receptionId, active: false });
    expect(lastMutation(ws)).toMatchObject({
      tableName: 'users',
      op: 'update',
      rowId: receptionId,
      data: { active: false },
    });
    expect(loadPermissions(ws.replica.db, receptionId, START).size).toBe(0);
    expect(
      (await ws.caller.staff.list()).staff.find((member) => member.id === receptionId)?.active,
    ).toBe(false);
    await ws.caller.staff.setActive({ userId: receptionId, active: true });
    expect(loadPermissions(ws.replica.db, receptionId, START).has('appointments:manage')).toBe(
      true,
    );
    const actions = ws.replica.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.entityId, receptionId))
      .all()
      .map((e) => e.action);
    expect(actions).toEqual(['staff.deactivate', 'staff.reactivate']);
  });

  test('unlock clears the server lock and this workstation’s offline lock', async () => {
    const lockedUntil = new Date(START.getTime() + 15 * 60_000).toISOString();
    ws.replica.db
      .update(users)
      .set({ failedLoginCount: 3, lockedUntil })
      .where(eq(users.id, nurseId))
      .run();
    ws.replica.db
      .insert(cachedCredentials)
      .values({
        userId: nurseId,
        email: 'nurse@hass.example',
        verifier: 'x',
        cachedAt: START.toISOString(),
        expiresAt: TOMORROW,
        failedCount: 4,
        lockedUntil,
      })
      .run();
    ws.signInAs('super_admin');
    expect(
      (await ws.caller.staff.list()).staff.find((member) => member.id === nurseId),
    ).toMatchObject({ lockedUntil, failedLoginCount: 3 });
    await ws.caller.staff.unlock({ userId: nurseId });
    expect(lastMutation(ws)).toMatchObject({
      tableName: 'users',
      op: 'update',
      data: { failedLoginCount: 0, lockedUntil: null },
    });
    expect(
      ws.replica.db
        .select()
        .from(cachedCredentials)
        .where(eq(cachedCredentials.userId, nurseId))
        .get(),
    ).toMatchObject({ failedCount: 0, lockedUntil: null });
    expect(
      (await ws.caller.staff.list()).staff.find((member) => member.id === nurseId),
    ).toMatchObject({ lockedUntil: null, failedLoginCount: 0 });
  });

  test('a role change is one update of the users row', async () => {
    ws.signInAs('super_admin');
    const changed = await ws.caller.staff.changeRole({
      reauthProof: await ws.reauthProof('staff.change_role'),
      userId: nurseId,
      role: 'doctor',
    });
    expect(changed.role).toBe('doctor');
    expect(lastMutation(ws)).toMatchObject({
      tableName: 'users',
      op: 'update',
      data: { role: 'doctor' },
    });
    expect(loadPermissions(ws.replica.db, nurseId, START).has('visits:discharge')).toBe(true);
  });
});

describe('what the rules refuse, leaving no trace', () => {
  test('administrators above the hospital are managed on the server, not here', async () => {
    ws.signInAs('super_admin');
    await expectRefused(
      ws,
      async () => ws.caller.staff.setActive({ userId: adminId, active: false }),
      'managed_centrally',
    );
    await expectRefused(
      ws,
      async () =>
        ws.caller.staff.changeRole({
          reauthProof: await ws.reauthProof('staff.change_role'),
          userId: demoUserId('regional@hass.example'),
          role: 'nurse',
        }),
      'managed_centrally',
    );
  });

  test('a manager given users:manage cannot change their own account or raise anyone', async () => {
    const managerId = demoUserId('manager@hass.example');
    ws.signInAs('super_admin');
    await ws.caller.staff.grant({
      reauthProof: await ws.reauthProof('staff.grant'),
      userId: managerId,
      permission: 'users:manage',
      expiresAt: TOMORROW,
      reason: 'Admin on leave',
    });
    ws.signInAs('manager');
    await expectRefused(
      ws,
      async () => ws.caller.staff.setActive({ userId: managerId, active: false }),
      'self_change',
    );
    await expectRefused(
      ws,
      async () =>
        ws.caller.staff.changeRole({
          reauthProof: await ws.reauthProof('staff.change_role'),
          userId: managerId,
          role: 'patient',
        }),
      'self_change',
    );
    await expectRefused(
      ws,
      async () =>
        ws.caller.staff.grant({
          reauthProof: await ws.reauthProof('staff.grant'),
          userId: managerId,
          permission: 'audit:read',
          reason: 'me',
        }),
      'self_change',
    );
    await expectRefused(
      ws,
      async () =>
        ws.caller.staff.changeRole({
          reauthProof: await ws.reauthProof('staff.change_role'),
          userId: nurseId,
          role: 'doctor',
        }),
      'role_escalation',
    );
    await ws.caller.staff.setActive({ userId: receptionId, active: false });
  });

  test('a regional administrator cannot raise anyone above their own rights', async () => {
    ws.signInAs('regional_admin');
    const list = await ws.caller.staff.list();
    expect(list.assignableRoles).toEqual(['regional_admin', 'patient']);
    expect(list.grantablePermissions).not.toContain('lab_tests:accept');
    await expectRefused(
      ws,
      async () =>
        ws.caller.staff.changeRole({
          reauthProof: await ws.reauthProof('staff.change_role'),
          userId: nurseId,
          role: 'doctor',
        }),
      'role_escalation',
    );
    await expectRefused(
      ws,
      async () =>
        ws.caller.staff.changeRole({
          reauthProof: await ws.reauthProof('staff.change_role'),
          userId: nurseId,
          role: 'super_admin',
        }),
      'super_admin_only',
    );
    await expectRefused(
      ws,
      async () =>
        ws.caller.staff.grant({
          reauthProof: await ws.reauthProof('staff.grant'),
          userId: nurseId,
          permission: 'lab_tests:accept',
          reason: 'cover',
        }),
      'grant_escalation',
    );
    await ws.caller.staff.grant({
      reauthProof: await ws.reauthProof('staff.grant'),
      userId: nurseId,
      permission: 'audit:read',
      reason: 'Incident review',
    });
    const grants = ws.replica.db
      .select()
      .from(userPermissions)
      .where(and(eq(userPermissions.userId, nurseId)))
      .all();
    expect(grants).toHaveLength(1);
  });

  test('a manager reads the table and roles but changes nothing; a nurse reads nothing', async () => {
    ws.signInAs('manager');
    const list = await ws.caller.staff.list();
    expect(list.canManage).toBe(false);
    expect(list.staff.map((member) => member.email)).toContain('nurse@hass.example');
    const { roles: summaries, permissions } = await ws.caller.staff.roles();
    expect(summaries.map((role) => role.role)).toHaveLength(9);
    expect(summaries.find((role) => role.role === 'nurse')?.permissions).toContain(
      'mar:administer',
    );
    expect(summaries.find((role) => role.role === 'super_admin')?.permissions).toHaveLength(
      permissions.length,
    );
    await expectRefused(
      ws,
      async () => ws.caller.staff.setActive({ userId: receptionId, active: false }),
      'forbidden',
    );
    ws.signInAs('nurse');
    await expectRefused(ws, async () => ws.caller.staff.list(), 'forbidden');
  });
});

test('the list holds this hospital’s staff and the administrators of its region, not other regions’', async () => {
  ws.replica.db
    .insert(regions)
    .values({ id: '01937a00-0000-7000-8000-00000000aa01', code: 'SOUTH', name: 'South' })
    .run();
  ws.replica.db
    .insert(users)
    .values({
      id: '01937a00-0000-7000-8000-00000000aa02',
      hospitalId: null,
      regionId: '01937a00-0000-7000-8000-00000000aa01',
      email: 'south.admin@hass.example',
      fullName: 'South Admin',
      role: 'regional_admin',
    })
    .run();
  ws.signInAs('super_admin');
  const emails = (await ws.caller.staff.list()).staff.map((member) => member.email);
  expect(emails).toContain('regional@hass.example');
  expect(emails).toContain('reception@hass.example');
  expect(emails).not.toContain('south.admin@hass.example');
});

test('before the first pull has brought the reference tables, the roles come from this build', () => {
  const empty = createTestReplica();
  try {
    expect(empty.db.select().from(roles).all()).toEqual([]);
    const listed = listRoles(empty.db);
    expect(listed.map((role) => role.role)).toEqual([...ROLES]);
    expect(listed.find((role) => role.role === 'pharmacist')?.permissions).toContain(
      'inventory:adjust',
    );
    expect(
      listPermissionCatalog(empty.db).find((permission) => permission.key === 'users:manage')
        ?.description,
    ).toBe(PERMISSIONS['users:manage']);
  } finally {
    empty.close();
  }
});

/**
 * Staff changes made at one workstation reach the server and the hospital's other workstations;
 * two workstations that granted the same permission while out of touch: the server keeps one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HOSPITAL_ID, demoUserId } from '../../../db/seed/demo-data';
import { loadPermissions } from '../../../main/auth/permissions';
import { listNeedsAttention } from '../../../main/sync/conflicts';
import { grantPermission, setAccountActive } from '../../../main/services/staff-accounts';
import type { WriteContext } from '../../../main/services/write-path';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

const nurseId = demoUserId('nurse@hass.example');
const receptionId = demoUserId('reception@hass.example');

/** The administrator belongs to no hospital; at a workstation they act for its hospital. */
const adminAt = (ws: TestWorkstation): WriteContext => {
  const context = ws.as('admin@hass.example');
  return { ...context, actor: { ...context.actor, hospitalId: DEMO_HOSPITAL_ID } };
};

describe('staff accounts across workstations', () => {
  let server: CentralServer;
  let office: TestWorkstation;
  let ward: TestWorkstation;

  beforeAll(async () => {
    server = await startCentralServer();
    office = await enrolledWorkstation('staff-office', server.url, await server.enrollmentCode());
    ward = await enrolledWorkstation('staff-ward', server.url, await server.enrollmentCode());
  });
  afterAll(async () => {
    await office.close();
    await ward.close();
    await server.close();
  });

  it('a grant and a deactivation made in the office take effect on the ward after a sync', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    grantPermission(adminAt(office), {
      userId: nurseId,
      permission: 'lab_tests:accept',
      expiresAt: tomorrow,
      reason: 'Night cover',
    });
    setAccountActive(adminAt(office), { userId: receptionId, active: false });
    expect((await office.sync()).ok).toBe(true);
    expect(listNeedsAttention(office.db)).toEqual([]);
    const stored = await server.database.db.$client.query<{ active: boolean }>(
      'select active from users where id = $1',
      [receptionId],
    );
    expect(stored.rows[0]?.active).toBe(false);

    expect(loadPermissions(ward.db, nurseId, new Date()).has('lab_tests:accept')).toBe(false);
    expect((await ward.sync()).ok).toBe(true);
    expect(loadPermissions(ward.db, nurseId, new Date()).has('lab_tests:accept')).toBe(true);
    expect(loadPermissions(ward.db, receptionId, new Date()).size).toBe(0);
  });

  it('the same grant made at two workstations before either synced: the second is refused and shown', async () => {
    grantPermission(adminAt(office), {
      userId: nurseId,
      permission: 'audit:read',
      reason: 'Incident review',
    });
    grantPermission(adminAt(ward), {
      userId: nurseId,
      permission: 'audit:read',
      reason: 'Incident review (ward)',
    });
    expect((await office.sync()).ok).toBe(true);
    expect((await ward.sync()).ok).toBe(true);
    const refused = listNeedsAttention(ward.db);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ tableName: 'user_permissions', reasonCode: 'forbidden' });
    expect(refused[0]?.reasonMessage).toContain('already has audit:read');
    const grants = await server.database.db.$client.query(
      `select g.reason from user_permissions g join permissions p on p.id = g.permission_id
        where g.user_id = $1 and p.key = 'audit:read' and g.deleted_at is null`,
      [nurseId],
    );
    expect(grants.rows).toEqual([{ reason: 'Incident review' }]);
  });
});

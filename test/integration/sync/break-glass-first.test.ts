/**
 * Issue 15: break-glass events are pushed first. A nurse on an enrolled workstation charts vital
 * signs (a change waiting in the outbox), then opens a restricted record by break-glass; at the
 * next sync the server receives the break-glass before the change, and its review lists it.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visits } from '../../../db/local/schema';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { createAppCaller } from '../../../main/api/router';
import { httpServerAuth } from '../../../main/sync/server-auth';
import { createWorkstation } from '../../../main/workstation';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

const nurse = { email: 'nurse@hass.example', password: 'nurse123' };

describe('break-glass reaches the server first', () => {
  let server: CentralServer;
  let station: TestWorkstation;
  let caller: ReturnType<typeof createAppCaller>;

  beforeAll(async () => {
    server = await startCentralServer();
    station = await enrolledWorkstation('glass-ward', server.url, await server.enrollmentCode());
    caller = createAppCaller(
      createWorkstation({
        db: station.db,
        serverAuth: httpServerAuth(() => station.engine.transport()),
        sync: station.engine,
      }),
    );
  });
  afterAll(async () => {
    await station.close();
    await server.close();
  });

  it('sends the break-glass ahead of a change made before it', async () => {
    const stays = station.db.select().from(visits).where(eq(visits.status, 'admitted')).all();
    const [mine, restricted] = stays;
    if (!mine || !restricted) throw new Error('the demo needs two admitted patients');
    await server.database.db.$client.query(
      `insert into patient_restrictions (id, hospital_id, patient_id, reason) values ($1, $2, $3, 'staff_member')`,
      [randomUUID(), DEMO_HOSPITAL_ID, restricted.patientId],
    );
    expect((await station.sync()).ok).toBe(true);

    await caller.auth.login(nurse);
    const vital = await caller.vitals.record({ visitId: mine.id, heartRate: 72 });
    const { proof } = await caller.auth.reauthenticate({
      action: 'break_glass',
      password: nurse.password,
    });
    await caller.chart.breakGlass({
      patientId: restricted.patientId,
      reason: 'direct_care',
      reauthProof: proof,
    });
    await caller.chart.open({ patientId: restricted.patientId });
    expect((await station.sync()).ok).toBe(true);

    const order = await server.database.db.$client.query<{ glass: Date; change: Date }>(
      `select (select received_at from audit_logs where action = 'break_glass.start') as glass,
              (select updated_at from vitals where id = $1) as change`,
      [vital.id],
    );
    const row = order.rows[0];
    if (!row) throw new Error('nothing on the server');
    expect(row.glass.getTime()).toBeLessThan(row.change.getTime());

    const review = await caller.audit.breakGlassReview().catch(() => null);
    // The nurse holds no audit:read; the manager reads the server's review.
    expect(review).toBeNull();
    await caller.auth.logout();
    await caller.auth.login({ email: 'manager@hass.example', password: 'manager123' });
    const managerReview = await caller.audit.breakGlassReview();
    expect(managerReview.scope).toBe('server');
    expect(managerReview.entries).toEqual([
      expect.objectContaining({
        patientId: restricted.patientId,
        purpose: 'break-glass: direct_care',
        cause: 'restricted',
        role: 'nurse',
        reads: 1,
        reviewedAt: null,
      }),
    ]);
  });
});

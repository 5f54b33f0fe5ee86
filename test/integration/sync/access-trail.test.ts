/**
 * Issue 15, "who saw this patient": a nurse's scripted shift on an enrolled workstation, people
 * signing in for real, leaves one audit event per thing done or refused, each with the person's
 * role, the outcome and the patient, and no patient name or value in any payload, here and on
 * the server. The server's acknowledgement is a cursor beside the append-only events.
 */
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditLogs,
  auditPushState,
  patients,
  prescriptions,
  visits,
} from '../../../db/local/schema';
import { DEMO_HOSPITAL_ID, demoUserId } from '../../../db/seed/demo-data';
import { createAppCaller } from '../../../main/api/router';
import type { ServerAuth } from '../../../main/auth/server-auth';
import { readAccessReport } from '../../../main/sync/access-report';
import { readAuditAlert } from '../../../main/sync/audit-push';
import { httpServerAuth } from '../../../main/sync/server-auth';
import { readSyncState } from '../../../main/sync/sync-state';
import { createWorkstation } from '../../../main/workstation';
import { AuditContextSchema } from '../../../shared/protocol';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

const nurse = { email: 'nurse@hass.example', password: 'nurse123' };
const nurseId = demoUserId(nurse.email);
// A value only this shift types: it must reach the record, never the trail.
const CANARY_REASON = 'Canary-7f3a nil by mouth before theatre';

describe("a nurse's shift, as the audit trail tells it", () => {
  let server: CentralServer;
  let station: TestWorkstation;
  const online = { value: true };
  let caller: ReturnType<typeof createAppCaller>;

  beforeAll(async () => {
    server = await startCentralServer();
    station = await enrolledWorkstation('trail-ward', server.url, await server.enrollmentCode());
    const http = httpServerAuth(() => station.engine.transport());
    const serverAuth: ServerAuth = {
      login: (email, password, key) =>
        online.value
          ? http.login(email, password, key)
          : Promise.resolve({ status: 'unreachable' }),
    };
    caller = createAppCaller(
      createWorkstation({ db: station.db, serverAuth, sync: station.engine }),
    );
  });
  afterAll(async () => {
    await station.close();
    await server.close();
  });

  it('records search, board, chart, a charted dose, prints, refusals and failed sign-ins; no patient data in any payload', async () => {
    await expect(caller.auth.login({ ...nurse, password: 'not-it' })).rejects.toThrow();
    await caller.auth.login(nurse);
    await caller.auth.logout();
    online.value = false;
    await expect(caller.auth.login({ ...nurse, password: 'not-it-either' })).rejects.toThrow();
    online.value = true;
    await caller.auth.login(nurse);

    const db = station.db;
    const admitted = db
      .select({ visit: visits, patient: patients })
      .from(visits)
      .innerJoin(patients, eq(patients.id, visits.patientId))
      .where(eq(visits.status, 'admitted'))
      .orderBy(asc(visits.id))
      .all();
    const order = db
      .select()
      .from(prescriptions)
      .where(eq(prescriptions.status, 'active'))
      .orderBy(asc(prescriptions.id))
      .get();
    const first = admitted[0];
    if (!first || !order) throw new Error('the demo has no admitted patient with a prescription');
    const { patient, visit } = first;

    await caller.patients.search({ query: patient.lastName });
    await caller.wardBoard.get({ wardId: visit.wardId });
    await caller.chart.open({ patientId: patient.id });
    await caller.mar.record({
      prescriptionId: order.id,
      scheduledFor: new Date().toISOString(),
      status: 'held',
      reason: CANARY_REASON,
    });
    // Printing: the password again, then the ward's downtime pack and the patient's wristband.
    const printProof = async () =>
      (await caller.auth.reauthenticate({ action: 'print', password: nurse.password })).proof;
    await caller.print.downtimePack({ wardId: visit.wardId, reauthProof: await printProof() });
    await caller.print.wristband({ patientId: patient.id, reauthProof: await printProof() });
    // Refused by a permission (a nurse does not read the staff list) and by validation.
    await expect(caller.staff.list()).rejects.toThrow();
    await expect(caller.vitals.record({ visitId: visit.id, heartRate: 4000 })).rejects.toThrow();

    const events = db.select().from(auditLogs).orderBy(asc(auditLogs.deviceSeq)).all();
    const summary = events.map((event) => {
      const context = AuditContextSchema.safeParse(event.after);
      return {
        action: event.action,
        userId: event.userId,
        role: context.data?.role,
        outcome: context.data?.outcome,
        patientId: context.data?.patientId,
      };
    });
    const expected = [
      { action: 'auth.sign_in', outcome: 'refused', role: null },
      { action: 'auth.sign_in', outcome: 'done', role: 'nurse' },
      { action: 'auth.sign_in', outcome: 'refused', role: 'nurse' },
      { action: 'patients.search', outcome: 'done', role: 'nurse' },
      { action: 'ward_board.read', outcome: 'done', role: 'nurse' },
      { action: 'chart.read', outcome: 'done', role: 'nurse', patientId: patient.id },
      { action: 'mar.held', outcome: 'done', role: 'nurse', patientId: order.patientId },
      { action: 'auth.reauth', outcome: 'done', role: 'nurse' },
      { action: 'print.downtime_pack', outcome: 'done', role: 'nurse' },
      { action: 'print.wristband', outcome: 'done', role: 'nurse', patientId: patient.id },
      { action: 'access.refused', outcome: 'refused', role: 'nurse' },
      { action: 'vitals.record', outcome: 'refused', role: 'nurse', patientId: patient.id },
    ];
    for (const event of expected) expect(summary).toContainEqual(expect.objectContaining(event));
    // A failed sign-in names the account tried; its owner's later sign-in does not sign it.
    const failed = events.filter(
      (event) =>
        event.action === 'auth.sign_in' && summary[events.indexOf(event)]?.outcome === 'refused',
    );
    expect(failed.map((event) => event.signature)).toEqual([null, null]);
    expect(summary.filter((event) => event.userId === nurseId).length).toBeGreaterThanOrEqual(8);

    const forbidden = [
      patient.firstName,
      patient.lastName,
      patient.mrn,
      patient.dateOfBirth,
      CANARY_REASON,
    ];
    const payloads = events.map((event) => JSON.stringify([event.before, event.after]));
    for (const text of payloads) for (const value of forbidden) expect(text).not.toContain(value);

    // The trail reaches the server whole, signed, indexed by patient, and still clean.
    expect((await station.sync()).ok).toBe(true);
    const deviceId = readSyncState(db).deviceId;
    const held = (
      await server.database.db.$client.query<{
        action: string;
        role: string | null;
        outcome: string | null;
        patient_id: string | null;
        payload: string;
        chain_issue: string | null;
      }>(
        `select action, role, outcome, patient_id, chain_issue,
                coalesce(before::text, '') || coalesce(after::text, '') as payload
           from audit_logs where device_id = $1 order by device_seq`,
        [deviceId],
      )
    ).rows;
    expect(held.length).toBe(events.length);
    expect(held.every((row) => row.chain_issue === null)).toBe(true);
    expect(held).toContainEqual(
      expect.objectContaining({
        action: 'chart.read',
        role: 'nurse',
        outcome: 'done',
        patient_id: patient.id,
      }),
    );
    for (const row of held) for (const value of forbidden) expect(row.payload).not.toContain(value);
    const pushed = db.select().from(auditPushState).where(eq(auditPushState.id, 1)).get();
    expect(pushed?.pushedThroughSeq).toBe(events.at(-1)?.deviceSeq);
    expect(readAuditAlert(db)).toBeNull();
  });

  it('raises a security alert when the server finds the chain broken', async () => {
    const db = station.db;
    // Someone with the file drops the guard and deletes an event not yet sent: a gap.
    await caller.chart.open({
      patientId: db.select().from(patients).orderBy(asc(patients.id)).get()?.id ?? '',
    });
    await caller.chart.open({
      patientId: db.select().from(patients).orderBy(asc(patients.id)).get()?.id ?? '',
    });
    const unsent = db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.action, 'chart.read'), eq(auditLogs.userId, nurseId)))
      .orderBy(asc(auditLogs.deviceSeq))
      .all()
      .at(-2);
    if (!unsent) throw new Error('no chart read to remove');
    expect(() => db.$client.prepare('delete from audit_logs where id = ?').run(unsent.id)).toThrow(
      /append-only/,
    );
    db.$client.exec('drop trigger audit_logs_no_delete');
    db.$client.prepare('delete from audit_logs where id = ?').run(unsent.id);
    expect((await station.sync()).ok).toBe(true);
    expect(readAuditAlert(db)).toMatchObject({ reason: 'chain_broken' });
    await caller.auth.logout();
    await caller.auth.login({ email: 'manager@hass.example', password: 'manager123' });
    expect(await caller.audit.status()).toMatchObject({ alert: { reason: 'chain_broken' } });
  });

  it("gives the manager every access to the patient from the server, and this workstation's own offline, partial", async () => {
    const db = station.db;
    const hughes = db.select().from(patients).where(eq(patients.mrn, 'NGH-000001')).get();
    if (!hughes) throw new Error('no Margaret Hughes in the demo');
    await caller.auth.logout();
    await caller.auth.login(nurse);
    await caller.chart.open({ patientId: hughes.id });
    await caller.auth.logout();
    await caller.auth.login({ email: 'manager@hass.example', password: 'manager123' });
    expect((await station.sync()).ok).toBe(true);

    const report = await caller.audit.accessReport({ patientId: hughes.id });
    expect(report.scope).toBe('server');
    expect(report.partialBecause).toBeNull();
    expect(report.entries).toContainEqual(
      expect.objectContaining({
        action: 'chart.read',
        userId: nurseId,
        userName: 'Nina Patel',
        role: 'nurse',
        outcome: 'done',
        workstation: 'trail-ward',
        source: 'workstation',
      }),
    );
    // The server recorded the manager's signed read of the report itself.
    const recorded = await server.database.db.$client.query<{ n: string }>(
      "select count(*) as n from signed_reads where action = 'audit.access_report.read' and entity_id = $1",
      [hughes.id],
    );
    expect(Number(recorded.rows[0]?.n)).toBe(1);
    // A window that ends before the shift holds nothing.
    const before = await caller.audit.accessReport({
      patientId: hughes.id,
      to: '2000-01-01T00:00:00.000Z',
    });
    expect(before.entries).toEqual([]);

    // Exporting asks for the password again: without it, nothing is exported.
    await expect(
      caller.audit.exportAccessReport({ patientId: hughes.id, reauthProof: 'x'.repeat(32) }),
    ).rejects.toThrow(/password again/);
    const { proof } = await caller.auth.reauthenticate({
      action: 'audit.export',
      password: 'manager123',
    });
    const exported = await caller.audit.exportAccessReport({
      patientId: hughes.id,
      reauthProof: proof,
    });
    expect(exported.csv.split('\r\n')[0]).toBe(
      'time (UTC),person,role,action,record,outcome,purpose,workstation,source,integrity',
    );
    expect(exported.csv).toContain('Nina Patel,nurse,chart.read');
    const exports = db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.action, 'audit.access_report.export'))
      .all();
    expect(exports).toHaveLength(1);
    expect(exports[0]?.after).toMatchObject({ role: 'manager', patientId: hughes.id });

    // With no server to ask, this workstation's own trail, and it says so.
    const manager = demoUserId('manager@hass.example');
    const offline = await readAccessReport(
      {
        db,
        clock: { now: () => new Date() },
        actor: { userId: manager, hospitalId: DEMO_HOSPITAL_ID, signer: null, role: 'manager' },
      },
      null,
      { patientId: hughes.id },
    );
    expect(offline.scope).toBe('local');
    expect(offline.partialBecause).toMatch(/only what was done on this workstation/);
    expect(offline.entries).toContainEqual(
      expect.objectContaining({ action: 'chart.read', userName: 'Nina Patel', role: 'nurse' }),
    );
  });
});

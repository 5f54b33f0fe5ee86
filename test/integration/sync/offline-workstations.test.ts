/**
 * A ward's day with the network coming and going: two workstations work offline, come back, and
 * end with the server's rows; same-field edits become one recorded conflict with both values;
 * a refused change stays listed; late vitals of a discharged visit reach the global EMR.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, patients, syncConflicts, visits } from '../../../db/local/schema';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { dischargePatient } from '../../../main/services/discharge';
import { draftDischargeSummary } from '../../../main/services/discharge-summary';
import { registerPatient } from '../../../main/services/patients';
import { writeClinical, type WriteContext } from '../../../main/services/write-path';
import { recordVitals } from '../../../main/services/vitals';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { replicaVersions, serverVersions } from '../../support/convergence';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';
import { createSyncTransport } from '../../../main/sync/transport';

describe('two workstations that work offline', () => {
  let server: CentralServer;
  let ward: TestWorkstation;
  let desk: TestWorkstation;

  beforeAll(async () => {
    server = await startCentralServer();
    ward = await enrolledWorkstation('ward', server.url, await server.enrollmentCode());
    desk = await enrolledWorkstation('desk', server.url, await server.enrollmentCode());
  });
  afterAll(async () => {
    await ward.close();
    await desk.close();
    await server.close();
  });

  /** Demographics edits go through the single write path like any service's. */
  const editPatient = (
    context: WriteContext,
    id: string,
    changes: { phone?: string; address?: string },
  ) => writeClinical(context, (batch) => batch.update(patients, id, changes));

  const admittedVisit = (ws: TestWorkstation, index = 0) => {
    const visit = ws.db
      .select()
      .from(visits)
      .where(eq(visits.status, 'admitted'))
      .orderBy(visits.id)
      .all()[index];
    if (!visit) throw new Error('no admitted visit in the replica');
    return visit;
  };

  it('pull the whole demo hospital on their first sync', async () => {
    const expected = await serverVersions(server.database, DEMO_HOSPITAL_ID);
    expect(replicaVersions(ward.db, DEMO_HOSPITAL_ID)).toEqual(expected);
    expect(replicaVersions(desk.db, DEMO_HOSPITAL_ID)).toEqual(expected);
    expect(Object.keys(expected.patients ?? {})).toHaveLength(6);
  });

  it('converge after each recorded work offline', async () => {
    const visit = admittedVisit(ward);
    recordVitals(ward.as('nurse@hass.example'), { visitId: visit.id, heartRate: 128, spo2: 90 });
    recordVitals(ward.as('nurse@hass.example'), { visitId: visit.id, temperatureC: 37.1 });
    registerPatient(desk.as('reception@hass.example'), {
      firstName: 'Ines',
      lastName: 'Duarte',
      dateOfBirth: '1990-04-12',
      sex: 'female',
    });
    expect((await ward.sync()).ok).toBe(true);
    expect((await desk.sync()).ok).toBe(true);
    expect((await ward.sync()).ok).toBe(true);

    const expected = await serverVersions(server.database, DEMO_HOSPITAL_ID);
    expect(replicaVersions(ward.db, DEMO_HOSPITAL_ID)).toEqual(expected);
    expect(replicaVersions(desk.db, DEMO_HOSPITAL_ID)).toEqual(expected);
    expect(ward.engine.status().pending).toBe(0);
    expect(desk.engine.status().pending).toBe(0);
    expect(
      ward.db.select().from(patients).where(eq(patients.lastName, 'Duarte')).all(),
    ).toHaveLength(1);
  });

  it('keep both values of a same-field edit as one conflict, and merge different fields', async () => {
    const patient = desk.db.select().from(patients).where(eq(patients.lastName, 'Duarte')).get();
    if (!patient) throw new Error('registered patient missing');
    editPatient(ward.as('nurse@hass.example'), patient.id, {
      phone: '+44 7700 900001',
      address: '1 Quay St',
    });
    editPatient(desk.as('reception@hass.example'), patient.id, { phone: '+44 7700 900002' });
    expect((await ward.sync()).ok).toBe(true);
    expect((await desk.sync()).ok).toBe(true);
    expect((await ward.sync()).ok).toBe(true);

    const conflicts = desk.db
      .select()
      .from(syncConflicts)
      .where(eq(syncConflicts.rowId, patient.id))
      .all();
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]?.localValues).toEqual({ phone: '+44 7700 900002' });
    expect(conflicts[0]?.serverValues).toEqual({ phone: '+44 7700 900001' });
    for (const ws of [ward, desk]) {
      const row = ws.db.select().from(patients).where(eq(patients.id, patient.id)).get();
      expect(row?.phone).toBe('+44 7700 900001');
      expect(row?.address).toBe('1 Quay St');
    }
    expect(replicaVersions(desk.db, DEMO_HOSPITAL_ID)).toEqual(
      await serverVersions(server.database, DEMO_HOSPITAL_ID),
    );
  });

  it('keep a refused change listed with its reason', async () => {
    // A lab technician may not chart vitals: the server refuses what this workstation let through.
    const visit = admittedVisit(ward, 1);
    recordVitals(ward.as('labtech@hass.example'), { visitId: visit.id, heartRate: 70 });
    expect((await ward.sync()).ok).toBe(true);
    const refused = ward.db.select().from(outbox).where(eq(outbox.status, 'rejected')).all();
    expect(refused).toHaveLength(1);
    expect(refused[0]?.reasonCode).toBe('forbidden');
    expect(ward.engine.status().needsAttention).toBe(1);
    expect((await ward.sync()).ok).toBe(true);
    expect(ward.db.select().from(outbox).where(eq(outbox.status, 'rejected')).all()).toHaveLength(
      1,
    );
  });

  it("deliver a ward's late vitals for a visit discharged meanwhile to the global EMR", async () => {
    const visit = admittedVisit(desk, 2);
    recordVitals(ward.as('nurse@hass.example'), {
      visitId: visit.id,
      heartRate: 77,
      notes: 'late entry',
    });
    dischargePatient(desk.as('doctor@hass.example'), {
      visitId: visit.id,
      summaryDraftId: draftDischargeSummary(desk.as('doctor@hass.example'), { visitId: visit.id })
        .id,
      summary: 'Recovered well.',
    });
    expect((await desk.sync()).ok).toBe(true);
    expect((await ward.sync()).ok).toBe(true);

    const transport = createSyncTransport({
      baseUrl: server.url,
      deviceToken: () => ward.tokens.read(),
    });
    // A signed read by a doctor signed in online on the ward's workstation.
    const doctor = ward.signerOf('doctor@hass.example');
    await ward.ready();
    const emr = await transport.globalEmr(visit.patientId, doctor);
    const entry = emr.entries.find((e) => e.visitId === visit.id);
    expect(entry).toBeDefined();
    expect(JSON.stringify(entry?.record)).toContain('late entry');
    const open = ward.db
      .select()
      .from(visits)
      .where(and(eq(visits.id, visit.id), isNull(visits.deletedAt)))
      .get();
    expect(open?.status).toBe('discharged');
  });
});

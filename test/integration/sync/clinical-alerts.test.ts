/**
 * Alerts reach people (issue 13), with the real server and two real replicas: two workstations
 * chart the same dose offline; within one sync the second nurse is told, in clinical words, who
 * charted it first, when and where; both workstations list the alert and show it on the bed; an
 * acknowledgement on one clears it on the other. The same for two offline admissions into one
 * bed. The Sync screen's conflicts, refused changes and waiting changes read as clinical words.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beds, prescriptions, visits, wards } from '../../../db/local/schema';
import { admitPatient } from '../../../main/services/admission';
import {
  acknowledgeAlert,
  listInboxAlerts,
  listPatientAlerts,
} from '../../../main/services/clinical-alerts';
import { recordAdministration } from '../../../main/services/mar';
import { registerPatient } from '../../../main/services/patients';
import { getWardBoard } from '../../../main/services/ward-board';
import { writeClinical } from '../../../main/services/write-path';
import { listPushNotices, markPushNoticesShown } from '../../../main/sync/push-notices';
import {
  describeConflicts,
  describeOutbox,
  describeRefusedChanges,
} from '../../../main/sync/reconciliation';
import { vitals } from '../../../db/local/schema';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

const NURSE = 'nurse@hass.example';
const RECEPTION = 'reception@hass.example';

describe('alerts reach the people on two workstations', () => {
  let server: CentralServer;
  let wardA: TestWorkstation;
  let wardB: TestWorkstation;

  beforeAll(async () => {
    server = await startCentralServer();
    wardA = await enrolledWorkstation(
      'Ward A workstation',
      server.url,
      await server.enrollmentCode(),
    );
    wardB = await enrolledWorkstation(
      'Ward B workstation',
      server.url,
      await server.enrollmentCode(),
    );
  });
  afterAll(async () => {
    await wardA.close();
    await wardB.close();
    await server.close();
  });

  const userId = (ws: TestWorkstation, email: string) => ws.as(email).actor.userId;
  const amoxicillin = (ws: TestWorkstation) => {
    const found = ws.db
      .select()
      .from(prescriptions)
      .where(eq(prescriptions.drug, 'Amoxicillin'))
      .get();
    if (!found) throw new Error('the demo amoxicillin is not in the replica');
    return found;
  };
  const boardOf = (ws: TestWorkstation, wardCode: string) => {
    const ward = ws.db.select().from(wards).where(eq(wards.code, wardCode)).get();
    if (!ward) throw new Error(`no ward ${wardCode}`);
    return getWardBoard(ws.db, { wardId: ward.id, now: new Date() });
  };
  const bedAlerts = (ws: TestWorkstation, bedNumber: string) =>
    boardOf(ws, bedNumber.startsWith('A') ? 'MED-A' : 'SURG-B')
      .beds.find((bed) => bed.number === bedNumber)
      ?.alerts.map((alert) => alert.title) ?? [];

  it('a dose charted on both while offline: the second nurse hears who charted it first, where and when', async () => {
    const prescription = amoxicillin(wardA);
    const scheduledFor = '2026-01-05T08:00:00.000Z';
    const firstAt = '2026-01-05T08:04:00.000Z';
    recordAdministration(wardA.as(NURSE), {
      prescriptionId: prescription.id,
      scheduledFor,
      status: 'given',
      administeredAt: firstAt,
    });
    recordAdministration(wardB.as(NURSE), {
      prescriptionId: prescription.id,
      scheduledFor,
      status: 'given',
      administeredAt: '2026-01-05T08:10:00.000Z',
    });
    expect((await wardA.sync()).ok).toBe(true);
    expect(listPushNotices(wardA.db, userId(wardA, NURSE))).toEqual([]);

    // One sync of the second workstation: its push is answered with the warning, its pull brings
    // the alert and the first dose, so the notice can say who, when and where.
    expect((await wardB.sync()).ok).toBe(true);
    const [notice] = listPushNotices(wardB.db, userId(wardB, NURSE));
    const first = new Date(firstAt);
    const clock = `${String(first.getHours()).padStart(2, '0')}:${String(first.getMinutes()).padStart(2, '0')}`;
    expect(notice?.title).toBe('Possible double dose');
    expect(notice?.text).toContain(`also charted at ${clock} by Nina Patel on Ward A workstation`);
    expect(notice?.text).toContain('Amoxicillin 500 mg oral');
    // Only its author is told, once.
    expect(listPushNotices(wardB.db, userId(wardB, RECEPTION))).toEqual([]);
    expect(
      markPushNoticesShown(wardB.db, userId(wardB, NURSE), [notice?.id ?? ''], new Date()),
    ).toBe(1);
    expect(listPushNotices(wardB.db, userId(wardB, NURSE))).toEqual([]);

    const [inB] = listInboxAlerts(wardB.db, 'nurse');
    expect(inB).toMatchObject({
      kind: 'possible_double_dose',
      title: 'Possible double dose',
      patient: { name: 'KOWALSKI, Tomasz (NGH-000002)' },
      place: 'Medical Ward A, bed A-02',
    });
    expect(inB?.facts.map((fact) => fact.label)).toEqual([
      'Medication',
      'Due',
      'First charted',
      'Charted again',
    ]);
    expect(inB?.summary).toContain('on Ward A workstation');
    expect(inB?.summary).toContain('on Ward B workstation');
    expect(bedAlerts(wardB, 'A-02')).toEqual(['Possible double dose']);
    // Not in reception's inbox: a double dose is the ward's and the pharmacy's to sort out.
    expect(listInboxAlerts(wardB.db, 'reception')).toEqual([]);

    expect((await wardA.sync()).ok).toBe(true);
    expect(listInboxAlerts(wardA.db, 'nurse').map((alert) => alert.id)).toEqual([inB?.id]);
    expect(bedAlerts(wardA, 'A-02')).toEqual(['Possible double dose']);
  });

  it('acknowledged on one workstation, the alert clears on the other', async () => {
    const [alert] = listInboxAlerts(wardB.db, 'nurse');
    if (!alert) throw new Error('no open alert');
    acknowledgeAlert(wardB.as(NURSE), {
      id: alert.id,
      note: 'Patient checked, observations normal; Dr Okafor told.',
    });
    expect(listInboxAlerts(wardB.db, 'nurse')).toEqual([]);
    expect((await wardB.sync()).ok).toBe(true);
    expect((await wardA.sync()).ok).toBe(true);
    expect(listInboxAlerts(wardA.db, 'nurse')).toEqual([]);
    expect(bedAlerts(wardA, 'A-02')).toEqual([]);
    const stored = await server.database.db.$client.query(
      'select acknowledged_by, acknowledgement_note from clinical_alerts where id = $1',
      [alert.id],
    );
    expect(stored.rows[0]).toMatchObject({
      acknowledged_by: userId(wardB, NURSE),
      acknowledgement_note: 'Patient checked, observations normal; Dr Okafor told.',
    });
  });

  it('two offline admissions into one bed: the second desk hears the bed is taken, both boards show the clash', async () => {
    const register = (firstName: string) =>
      registerPatient(wardA.as(RECEPTION), {
        firstName,
        lastName: 'Okonkwo',
        dateOfBirth: '1980-02-02',
        sex: 'male',
      });
    const early = register('Chidi');
    const late = register('Emeka');
    expect((await wardA.sync()).ok).toBe(true);
    expect((await wardB.sync()).ok).toBe(true);
    const bed = wardA.db.select().from(beds).where(eq(beds.number, 'A-05')).get();
    if (!bed) throw new Error('no bed A-05');
    admitPatient(wardA.as(RECEPTION), { patientId: early.id, wardId: bed.wardId, bedId: bed.id });
    admitPatient(wardB.as(RECEPTION), { patientId: late.id, wardId: bed.wardId, bedId: bed.id });
    expect((await wardA.sync()).ok).toBe(true);
    expect((await wardB.sync()).ok).toBe(true);

    const notices = listPushNotices(wardB.db, userId(wardB, RECEPTION));
    expect(notices.map((notice) => notice.title)).toContain('Bed clash');
    expect(notices.find((notice) => notice.title === 'Bed clash')?.text).toBe(
      'Bed A-05 (Medical Ward A) is already held by OKONKWO, Chidi (' +
        `${early.mrn}). Your admission was kept without a bed: choose another bed.`,
    );
    expect(bedAlerts(wardB, 'A-05')).toEqual(['Bed clash']);
    expect((await wardA.sync()).ok).toBe(true);
    expect(bedAlerts(wardA, 'A-05')).toEqual(['Bed clash']);
    const visit = wardB.db.select().from(visits).where(eq(visits.patientId, late.id)).get();
    expect(visit?.bedId).toBeNull();
    expect(listPatientAlerts(wardA.db, late.id).map((alert) => alert.kind)).toEqual([
      'bed_conflict',
    ]);

    // The conflict itself, in the reconciliation inbox: whose stay, the bed by its name, who.
    const [conflict] = describeConflicts(wardB.db);
    expect(conflict).toMatchObject({
      reasonTitle: 'Bed already taken',
      choices: ['server'],
      record: 'Stay',
      patient: `OKONKWO, Emeka (${late.mrn})`,
      fields: [
        { field: 'bedId', label: 'Bed', local: 'Bed A-05 (Medical Ward A)', server: 'none' },
      ],
      localBy: 'Rosa Jimenez',
      serverBy: 'Rosa Jimenez',
    });
    expect(JSON.stringify(conflict)).not.toContain(bed.id);
  });

  it('a refused change and what waits to be sent read in clinical words, never ids', async () => {
    const visit = wardA.db.select().from(visits).where(eq(visits.status, 'admitted')).get();
    if (!visit) throw new Error('no admitted visit');
    // Reception has no vitals:create; the server refuses the entry its workstation sent.
    const reception = wardA.as(RECEPTION);
    writeClinical(reception, (batch) =>
      batch.insert(vitals, {
        visitId: visit.id,
        patientId: visit.patientId,
        recordedAt: batch.now,
        temperatureC: 38.2,
        heartRate: 128,
        systolic: null,
        diastolic: null,
        respiratoryRate: null,
        spo2: null,
        weightKg: null,
        heightCm: null,
        bmi: null,
        abnormal: [],
        recordedBy: batch.actor.userId,
        notes: null,
        enteredInErrorId: null,
      }),
    );
    const waiting = describeOutbox(wardA.db, new Date(Date.now() + 5.5 * 60_000));
    expect(waiting.total).toBe(1);
    expect(waiting.items[0]).toMatchObject({
      what: 'Vital signs recorded',
      by: 'Rosa Jimenez',
      waited: '5 min',
    });
    expect(waiting.items[0]?.patient).toMatch(/\(NGH-\d{6}\)$/);

    expect((await wardA.sync()).ok).toBe(true);
    // (The admissions above also left their bed status changes refused: only a manager may set
    // a bed's status on the server. That is another matter; this is about the vitals.)
    const refused = describeRefusedChanges(wardA.db).find(
      (item) => item.what === 'Vital signs recorded',
    );
    expect(refused).toMatchObject({ what: 'Vital signs recorded', by: 'Rosa Jimenez' });
    expect(refused?.reason).toContain('“Record vital signs and mark entries as entered in error”');
    expect(refused?.fields).toEqual(
      expect.arrayContaining([
        { label: 'Heart rate', value: '128 /min' },
        { label: 'Temperature', value: '38.2 °C' },
        { label: 'Recorded by', value: 'Rosa Jimenez' },
      ]),
    );
    const text = JSON.stringify(refused);
    expect(text).not.toContain(visit.id);
    expect(text).not.toContain(visit.patientId);
    // The ward hears of it too: a refused change of clinical data raises an alert.
    expect(listPatientAlerts(wardA.db, visit.patientId).map((alert) => alert.kind)).toContain(
      'refused_clinical_change',
    );
  });
});

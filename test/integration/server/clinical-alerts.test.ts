/**
 * The alerts the server raises for the ward (issue 13): a double dose names the dose charted
 * first and the workstations both came from; an entry arriving for a discharged stay and a
 * refused change of clinical data raise their own alerts, pointing only at this hospital's
 * records; an alert is only ever acknowledged, in the acknowledging person's own name.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  addHospital,
  demoRow,
  doctorId,
  enroll,
  labTechId,
  mutation,
  NOW,
  nurseId,
  pullAll,
  push,
  pushOne,
  receptionId,
  startTestServer,
  vitalsRow,
  type Device,
  type TestServer,
} from './harness';

let server: TestServer;
let wardA: Device;
let wardB: Device;

beforeAll(async () => {
  server = await startTestServer();
  wardA = await enroll(server, 'NGH', 'Ward A workstation');
  wardB = await enroll(server, 'NGH', 'Ward B workstation');
});
afterAll(async () => {
  await server.close();
});

interface AlertRow {
  id: string;
  kind: string;
  visit_id: string | null;
  patient_id: string | null;
  details: Record<string, unknown>;
  acknowledged_by: string | null;
  acknowledgement_note: string | null;
  version: number;
}

async function alertsRaisedBy(mutationId: string): Promise<AlertRow[]> {
  const result = await server.database.db.$client.query<AlertRow>(
    "select * from clinical_alerts where details->>'mutationId' = $1",
    [mutationId],
  );
  return result.rows;
}

const prescription = demoRow('prescriptions');
const dose = (scheduledFor: string) =>
  mutation({
    table: 'medication_administrations',
    op: 'insert',
    id: randomUUID(),
    data: {
      prescriptionId: prescription.id,
      visitId: prescription.visitId,
      patientId: prescription.patientId,
      scheduledFor,
      status: 'given',
      reason: null,
      administeredAt: NOW.toISOString(),
      administeredBy: nurseId,
      enteredInErrorId: null,
    },
  });

describe('a dose charted twice on two workstations', () => {
  test('the alert names the dose charted first and both workstations', async () => {
    const first = dose('2026-11-23T14:00:00.000Z');
    const second = dose('2026-11-23T14:00:00.000Z');
    expect(await pushOne(server, wardA, first)).toMatchObject({ status: 'applied' });
    expect(await pushOne(server, wardB, second)).toMatchObject({
      warnings: [{ code: 'possible_double_dose' }],
    });
    expect(await alertsRaisedBy(first.mutationId)).toEqual([]);
    const [alert] = await alertsRaisedBy(second.mutationId);
    expect(alert).toMatchObject({
      kind: 'possible_double_dose',
      visit_id: prescription.visitId,
      patient_id: prescription.patientId,
      details: {
        administrationId: second.id,
        earlierAdministrationId: first.id,
        earlierDeviceName: 'Ward A workstation',
        deviceName: 'Ward B workstation',
        deviceId: wardB.id,
      },
    });
  });
});

describe('an entry that arrives after its stay was discharged', () => {
  const visit = demoRow('visits', 3);
  const dischargedAt = '2026-11-23T11:00:00.000Z';

  test('is kept, and raises an alert on the stay saying when it was made and discharged', async () => {
    const before = mutation({
      table: 'vitals',
      op: 'insert',
      id: randomUUID(),
      data: vitalsRow(3),
    });
    expect(await pushOne(server, wardA, before)).toMatchObject({ status: 'applied' });
    expect(await alertsRaisedBy(before.mutationId)).toEqual([]);
    const discharge = mutation({
      table: 'visits',
      op: 'update',
      id: visit.id,
      userId: doctorId,
      baseVersion: 1,
      data: { status: 'discharged', dischargedAt, dischargeSummary: 'Home.' },
    });
    expect(await pushOne(server, wardA, discharge)).toMatchObject({ status: 'applied' });

    const late = mutation({
      table: 'vitals',
      op: 'insert',
      id: randomUUID(),
      clientTime: '2026-11-23T10:40:00.000Z',
      data: vitalsRow(3),
    });
    expect(await pushOne(server, wardB, late)).toMatchObject({ status: 'applied' });
    const [alert] = await alertsRaisedBy(late.mutationId);
    expect(alert).toMatchObject({
      kind: 'late_entry_after_discharge',
      visit_id: visit.id,
      patient_id: visit.patientId,
      details: {
        table: 'vitals',
        entryId: late.id,
        enteredAt: '2026-11-23T10:40:00.000Z',
        dischargedAt,
        deviceName: 'Ward B workstation',
      },
    });
  });

  test('a discharge and a late note in one push raise the alert too', async () => {
    const stay = demoRow('visits', 4);
    const note = mutation({
      table: 'nurse_logs',
      op: 'insert',
      id: randomUUID(),
      data: {
        visitId: stay.id,
        patientId: stay.patientId,
        kind: 'note',
        body: 'Wound dressed.',
        recordedAt: NOW.toISOString(),
        recordedBy: nurseId,
        enteredInErrorId: null,
      },
    });
    const [discharged, arrived] = await push(server, wardA, [
      mutation({
        table: 'visits',
        op: 'update',
        id: stay.id,
        userId: doctorId,
        baseVersion: 1,
        data: { status: 'discharged', dischargedAt: NOW.toISOString(), dischargeSummary: 'Home.' },
      }),
      note,
    ]);
    expect(discharged?.status).toBe('applied');
    expect(arrived?.status).toBe('applied');
    expect((await alertsRaisedBy(note.mutationId)).map((a) => a.kind)).toEqual([
      'late_entry_after_discharge',
    ]);
  });
});

describe('a refused change of clinical data', () => {
  test('raises an alert on the patient and stay, with the reason and the fields it set', async () => {
    const visit = demoRow('visits', 0);
    const refused = mutation({
      table: 'vitals',
      op: 'insert',
      id: randomUUID(),
      userId: receptionId,
      data: vitalsRow(0),
    });
    expect(await pushOne(server, wardA, refused)).toMatchObject({
      status: 'rejected',
      reason: { code: 'forbidden' },
    });
    const [alert] = await alertsRaisedBy(refused.mutationId);
    expect(alert).toMatchObject({
      kind: 'refused_clinical_change',
      visit_id: visit.id,
      patient_id: visit.patientId,
      details: {
        table: 'vitals',
        rowId: refused.id,
        op: 'insert',
        reasonCode: 'forbidden',
        madeAt: NOW.toISOString(),
      },
    });
    expect(alert?.details.fields).toEqual(expect.arrayContaining(['heartRate', 'spo2']));
    // The refused row itself never reached the record.
    const stored = await server.database.db.$client.query('select 1 from vitals where id = $1', [
      refused.id,
    ]);
    expect(stored.rowCount).toBe(0);
  });

  test('an impossible lab workflow move is refused and told to the ward', async () => {
    const visit = demoRow('visits', 0);
    const test = randomUUID();
    const order = mutation({
      table: 'lab_tests',
      op: 'insert',
      id: test,
      userId: doctorId,
      data: {
        visitId: visit.id,
        patientId: visit.patientId,
        testCode: 'CRP',
        testName: 'C-reactive protein',
        urgency: 'routine',
        status: 'pending',
        orderedBy: doctorId,
        orderedAt: NOW.toISOString(),
        acceptedBy: null,
        acceptedAt: null,
        startedAt: null,
        completedAt: null,
        result: null,
        reportAttachment: null,
        cancellationReason: null,
      },
    });
    expect(await pushOne(server, wardA, order)).toMatchObject({ status: 'applied' });
    const jump = mutation({
      table: 'lab_tests',
      op: 'update',
      id: test,
      userId: labTechId,
      baseVersion: 1,
      data: { status: 'completed', result: 'CRP 4 mg/L', completedAt: NOW.toISOString() },
    });
    expect(await pushOne(server, wardA, jump)).toMatchObject({
      status: 'rejected',
      reason: { code: 'invalid_transition' },
    });
    expect(await alertsRaisedBy(jump.mutationId)).toMatchObject([
      {
        kind: 'refused_clinical_change',
        patient_id: visit.patientId,
        details: { table: 'lab_tests', op: 'update', reasonCode: 'invalid_transition' },
      },
    ]);
  });

  test('never points at another hospital’s records, nor at ids that are not ids', async () => {
    await addHospital(server, 'WGH');
    const foreignVisit = randomUUID();
    const malformed = mutation({
      table: 'vitals',
      op: 'insert',
      id: randomUUID(),
      data: vitalsRow(0, { visitId: 'not-a-uuid', patientId: 'neither' }),
    });
    const unknown = mutation({
      table: 'vitals',
      op: 'insert',
      id: randomUUID(),
      data: vitalsRow(0, { visitId: foreignVisit, patientId: randomUUID() }),
    });
    const results = await push(server, wardA, [malformed, unknown]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    for (const refused of [malformed, unknown]) {
      expect(await alertsRaisedBy(refused.mutationId)).toMatchObject([
        { kind: 'refused_clinical_change', visit_id: null, patient_id: null },
      ]);
    }
  });

  test('a refused change of something other than clinical data raises none', async () => {
    const refused = mutation({
      table: 'appointments',
      op: 'insert',
      id: randomUUID(),
      data: { patientId: 'x' },
    });
    expect(await pushOne(server, wardA, refused)).toMatchObject({ status: 'rejected' });
    expect(await alertsRaisedBy(refused.mutationId)).toEqual([]);
  });
});

describe('acknowledging an alert', () => {
  let day = 0;
  async function openAlert(): Promise<AlertRow> {
    day += 1;
    const raising = dose(`2026-11-0${String(day)}T06:00:00.000Z`);
    await pushOne(server, wardA, raising);
    const again = dose(String(raising.data.scheduledFor));
    await pushOne(server, wardB, again);
    const [alert] = await alertsRaisedBy(again.mutationId);
    if (!alert) throw new Error('no alert was raised');
    return alert;
  }
  const acknowledge = (alert: AlertRow, userId: string, data: Record<string, unknown>) =>
    mutation({
      table: 'clinical_alerts',
      op: 'update',
      id: alert.id,
      userId,
      baseVersion: alert.version,
      data,
    });

  test('is applied with the note, and reaches every workstation of the hospital', async () => {
    const alert = await openAlert();
    const { cursor } = await pullAll(server, wardA);
    const acknowledged = acknowledge(alert, nurseId, {
      acknowledgedBy: nurseId,
      acknowledgedAt: NOW.toISOString(),
      acknowledgementNote: 'Patient checked; only one dose was given.',
    });
    expect(await pushOne(server, wardB, acknowledged)).toMatchObject({ status: 'applied' });
    const { changes } = await pullAll(server, wardA, cursor);
    expect(changes.find((change) => change.id === alert.id)?.row).toMatchObject({
      acknowledgedBy: nurseId,
      acknowledgementNote: 'Patient checked; only one dose was given.',
    });
  });

  test('in someone else’s name, or changing what the alert says, is refused', async () => {
    const alert = await openAlert();
    expect(
      await pushOne(
        server,
        wardA,
        acknowledge(alert, nurseId, {
          acknowledgedBy: doctorId,
          acknowledgedAt: NOW.toISOString(),
          acknowledgementNote: 'Seen.',
        }),
      ),
    ).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
    expect(
      await pushOne(server, wardA, acknowledge(alert, nurseId, { details: { quiet: true } })),
    ).toMatchObject({ status: 'rejected', reason: { code: 'validation' } });
    expect(
      await pushOne(
        server,
        wardA,
        acknowledge(alert, labTechId, {
          acknowledgedBy: labTechId,
          acknowledgedAt: NOW.toISOString(),
        }),
      ),
    ).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
    const stored = await server.database.db.$client.query<AlertRow>(
      'select * from clinical_alerts where id = $1',
      [alert.id],
    );
    expect(stored.rows[0]).toMatchObject({ acknowledged_by: null, version: alert.version });
  });

  test('cannot be undone', async () => {
    const alert = await openAlert();
    await pushOne(
      server,
      wardA,
      acknowledge(alert, receptionId, {
        acknowledgedBy: receptionId,
        acknowledgedAt: NOW.toISOString(),
        acknowledgementNote: 'Passed to the ward.',
      }),
    );
    expect(
      await pushOne(
        server,
        wardA,
        acknowledge({ ...alert, version: alert.version + 1 }, nurseId, {
          acknowledgedBy: null,
          acknowledgedAt: null,
        }),
      ),
    ).toMatchObject({ status: 'rejected', reason: { code: 'validation' } });
  });
});

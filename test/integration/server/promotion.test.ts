import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GlobalEmr } from '../../../shared/protocol';
import {
  addHospital,
  demoRow,
  doctorId,
  enroll,
  hospitalId,
  mutation,
  NOW,
  nurseId,
  push,
  pushOne,
  readAs,
  startTestServer,
  vitalsRow,
  type Device,
  type TestServer,
} from './harness';

let server: TestServer;
let ward: Device;

beforeAll(async () => {
  server = await startTestServer();
  ward = await enroll(server);
});
afterAll(async () => {
  await server.close();
});

/** The global EMR as a doctor reads it online on `device` (a signed read). */
const readEmr = (device: Device, patientId: string, reader = doctorId) =>
  readAs(server, device, reader, `/v1/emr/global/${patientId}`);

describe('a discharge promotes the visit to the patient’s global EMR', () => {
  test('once, with its local records and clinical entries, and late arrivals join it', async () => {
    const visit = demoRow('visits', 1);
    const patientId = visit.patientId as string;
    expect((await readEmr(ward, patientId)).body).toEqual({ patientId, entries: [] });
    const discharge = () =>
      mutation({
        table: 'visits',
        op: 'update',
        id: visit.id,
        userId: doctorId,
        baseVersion: 1,
        data: {
          status: 'discharged',
          dischargedAt: NOW.toISOString(),
          dischargeSummary: 'Recovered; home with oral antibiotics.',
        },
      });
    const first = discharge();
    expect(await pushOne(server, ward, first)).toMatchObject({ status: 'applied', version: 2 });
    expect(await pushOne(server, ward, first)).toMatchObject({ status: 'duplicate' });
    const promoted = (await readEmr(ward, patientId)).body as unknown as GlobalEmr;
    expect(promoted.entries).toHaveLength(1);
    const [entry] = promoted.entries;
    expect(entry).toMatchObject({
      visitId: visit.id,
      sourceHospitalId: hospitalId,
      dischargedAt: NOW.toISOString(),
    });
    const record = entry?.record as {
      visit: { dischargeSummary: string };
      vitals: unknown[];
      emrLocal: unknown[];
      prescriptions: unknown[];
    };
    expect(record.visit.dischargeSummary).toContain('Recovered');
    expect(record.vitals.length).toBeGreaterThan(0);
    expect(record.emrLocal.length).toBe(1);
    expect(record.prescriptions.length).toBe(1);

    // A workstation that was offline charts vitals taken before the discharge.
    const late = randomUUID();
    const [arrived] = await push(server, ward, [
      mutation({
        table: 'vitals',
        op: 'insert',
        id: late,
        data: vitalsRow(1, { recordedBy: nurseId, notes: 'charted offline' }),
      }),
    ]);
    expect(arrived?.status).toBe('applied');
    const updated = (await readEmr(ward, patientId)).body as unknown as GlobalEmr;
    expect(updated.entries).toHaveLength(1);
    const vitals = (updated.entries[0]?.record as { vitals: { id: string }[] }).vitals;
    expect(vitals.map((row) => row.id)).toContain(late);
    expect(vitals.length).toBe(record.vitals.length + 1);
    const stored = await server.database.db.$client.query(
      'select count(*)::int as n from emr_global where visit_id = $1',
      [visit.id],
    );
    expect(stored.rows[0]).toMatchObject({ n: 1 });
  });

  test('an admitted visit is not promoted', async () => {
    const visit = demoRow('visits', 2);
    await pushOne(
      server,
      ward,
      mutation({ table: 'vitals', op: 'insert', id: randomUUID(), data: vitalsRow(2) }),
    );
    expect((await readEmr(ward, visit.patientId as string)).body).toMatchObject({ entries: [] });
  });

  test('another hospital reads a promoted record, but not an unpromoted patient, nor an unknown id', async () => {
    const other = await addHospital(server, 'RGH');
    const elsewhere = await enroll(server, 'RGH');
    const otherDoctor = randomUUID();
    await server.database.db.$client.query(
      `insert into users (id, hospital_id, email, full_name, role, region_id)
       select $1, id, 'doctor@rgh.example', 'Other Doctor', 'doctor', region_id
         from hospitals where id = $2`,
      [otherDoctor, other.hospitalId],
    );
    const promotedPatient = demoRow('visits', 1).patientId as string;
    expect((await readEmr(elsewhere, promotedPatient, otherDoctor)).body).toMatchObject({
      entries: [{ sourceHospitalId: hospitalId }],
    });
    expect(
      (await readEmr(elsewhere, demoRow('visits', 3).patientId as string, otherDoctor)).status,
    ).toBe(404);
    expect((await readEmr(ward, randomUUID())).status).toBe(404);
    expect((await readEmr(ward, 'not-a-uuid')).status).toBe(400);
  });
});

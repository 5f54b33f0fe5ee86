import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoUserId } from '../../../db/seed/demo-data';
import {
  countRows,
  demoRow,
  doctorId,
  enroll,
  hospitalId,
  labTechId,
  mutation,
  NOW,
  nurseId,
  patientRow,
  push,
  pushOne,
  receptionId,
  startTestServer,
  vitalsRow,
  type Device,
  type TestServer,
  call,
} from './harness';

let server: TestServer;
let ward: Device;
let otherWard: Device;
let otherNurseId: string;

beforeAll(async () => {
  server = await startTestServer();
  ward = await enroll(server);
  // The demo's second hospital (SGH) and its nurse.
  otherNurseId = demoUserId('nurse.sgh@hass.example');
  otherWard = await enroll(server, 'SGH');
});
afterAll(async () => {
  await server.close();
});

const rowOf = async (table: string, id: string) =>
  (await server.database.db.$client.query(`select * from "${table}" where id = $1`, [id]))
    .rows[0] as Record<string, unknown> | undefined;

describe('a nurse records vitals offline and the workstation pushes them', () => {
  test('the server sets version, updatedAt, updatedBy and hospitalId itself', async () => {
    const id = randomUUID();
    const result = await pushOne(
      server,
      ward,
      mutation({
        table: 'vitals',
        op: 'insert',
        id,
        data: {
          ...vitalsRow(),
          version: 99,
          hospitalId: randomUUID(),
          updatedBy: doctorId,
          updatedAt: '2001-01-01T00:00:00Z',
        },
      }),
    );
    expect(result).toMatchObject({ status: 'applied', version: 1 });
    const row = await rowOf('vitals', id);
    expect(row).toMatchObject({
      version: 1,
      hospital_id: hospitalId,
      updated_by: nurseId,
      heart_rate: 82,
    });
    expect(String(row?.updated_at)).not.toContain('2001');
  });

  test('a resend in a later batch answers duplicate with the first version and changes nothing', async () => {
    const first = mutation({ table: 'vitals', op: 'insert', id: randomUUID(), data: vitalsRow() });
    expect(await pushOne(server, ward, first)).toMatchObject({ status: 'applied', version: 1 });
    const vitalsBefore = await countRows(server, 'vitals');
    const feedBefore = await countRows(server, 'change_feed');
    const later = await push(server, ward, [
      mutation({ table: 'vitals', op: 'insert', id: randomUUID(), data: vitalsRow(1) }),
      first,
      first,
    ]);
    expect(later.map((r) => r.status)).toEqual(['applied', 'duplicate', 'duplicate']);
    expect(later[1]).toMatchObject({ mutationId: first.mutationId, version: 1 });
    expect(await countRows(server, 'vitals')).toBe(vitalsBefore + 1);
    expect(await countRows(server, 'change_feed')).toBe(feedBefore + 1);
    expect(await pushOne(server, ward, first)).toMatchObject({ status: 'duplicate', version: 1 });
  });

  test('clock skew: the answer carries serverTime and clockSkewMs when deviceTime is sent', async () => {
    const deviceTime = new Date(NOW.getTime() + 5 * 60_000).toISOString();
    const response = await call(server, ward, 'POST', '/v1/sync/push', {
      mutations: [],
      deviceTime,
    });
    expect(response.body).toMatchObject({
      results: [],
      serverTime: NOW.toISOString(),
      clockSkewMs: 300_000,
    });
  });
});

describe('two workstations edit the same patient', () => {
  test('different fields both survive; the same field is a recorded conflict', async () => {
    const id = randomUUID();
    expect(
      await pushOne(
        server,
        ward,
        mutation({
          table: 'patients',
          op: 'insert',
          id,
          userId: receptionId,
          data: patientRow({ firstName: 'Merge' }),
        }),
      ),
    ).toMatchObject({ status: 'applied', version: 1 });
    const desk = await pushOne(
      server,
      await enroll(server),
      mutation({
        table: 'patients',
        op: 'update',
        id,
        userId: receptionId,
        baseVersion: 1,
        data: { phone: '+44 1' },
      }),
    );
    expect(desk).toMatchObject({ status: 'applied', version: 2 });
    const wardEdit = await pushOne(
      server,
      ward,
      mutation({
        table: 'patients',
        op: 'update',
        id,
        baseVersion: 1,
        data: { address: '1 Ward Road' },
      }),
    );
    expect(wardEdit).toMatchObject({ status: 'applied', version: 3 });
    const clash = await pushOne(
      server,
      ward,
      mutation({
        table: 'patients',
        op: 'update',
        id,
        baseVersion: 1,
        data: { phone: '+44 2', allergies: [{ substance: 'Latex' }] },
      }),
    );
    expect(clash.status).toBe('conflict');
    expect(clash.version).toBe(4);
    expect(clash.serverRow).toMatchObject({
      phone: '+44 1',
      address: '1 Ward Road',
      allergies: [{ substance: 'Latex' }],
      version: 4,
    });
    const conflicts = await server.database.db.$client.query(
      'select * from sync_conflicts where row_id = $1',
      [id],
    );
    expect(conflicts.rows).toHaveLength(1);
    expect(conflicts.rows[0]).toMatchObject({
      reason_code: 'concurrent_edit',
      losing_values: { phone: '+44 2' },
      server_values: { phone: '+44 1' },
      base_version: 1,
    });
  });

  test('one workstation editing a field twice offline is not a conflict with itself, in one batch or two', async () => {
    const patient = async (firstName: string) => {
      const id = randomUUID();
      await pushOne(
        server,
        ward,
        mutation({
          table: 'patients',
          op: 'insert',
          id,
          userId: receptionId,
          data: patientRow({ firstName }),
        }),
      );
      return id;
    };
    // Both edits are based on version 1, the last version this workstation pulled.
    const edit = (id: string, phone: string) =>
      mutation({
        table: 'patients',
        op: 'update',
        id,
        userId: receptionId,
        baseVersion: 1,
        data: { phone },
      });
    const oneBatch = await patient('Twice');
    expect(
      (await push(server, ward, [edit(oneBatch, '+44 10'), edit(oneBatch, '+44 11')])).map((r) => [
        r.status,
        r.version,
      ]),
    ).toEqual([
      ['applied', 2],
      ['applied', 3],
    ]);
    expect((await rowOf('patients', oneBatch))?.phone).toBe('+44 11');
    const twoBatches = await patient('Twice Again');
    expect(await pushOne(server, ward, edit(twoBatches, '+44 20'))).toMatchObject({
      status: 'applied',
      version: 2,
    });
    expect(await pushOne(server, ward, edit(twoBatches, '+44 21'))).toMatchObject({
      status: 'applied',
      version: 3,
    });
    expect((await rowOf('patients', twoBatches))?.phone).toBe('+44 21');
    const conflicts = await server.database.db.$client.query(
      'select 1 from sync_conflicts where row_id = any($1::uuid[])',
      [[oneBatch, twoBatches]],
    );
    expect(conflicts.rows).toHaveLength(0);
  });

  test('another workstation’s edit of the field in between still conflicts with the second edit', async () => {
    const id = randomUUID();
    await pushOne(
      server,
      ward,
      mutation({
        table: 'patients',
        op: 'insert',
        id,
        userId: receptionId,
        data: patientRow({ firstName: 'Between' }),
      }),
    );
    const edit = (phone: string) =>
      mutation({
        table: 'patients',
        op: 'update',
        id,
        userId: receptionId,
        baseVersion: 1,
        data: { phone },
      });
    expect(await pushOne(server, ward, edit('+44 30'))).toMatchObject({
      status: 'applied',
      version: 2,
    });
    const desk = await enroll(server);
    expect(
      await pushOne(
        server,
        desk,
        mutation({
          table: 'patients',
          op: 'update',
          id,
          userId: receptionId,
          baseVersion: 2,
          data: { phone: '+44 31' },
        }),
      ),
    ).toMatchObject({ status: 'applied', version: 3 });
    const second = await pushOne(server, ward, edit('+44 32'));
    expect(second).toMatchObject({
      status: 'conflict',
      version: 3,
      reason: { code: 'concurrent_edit' },
      serverRow: { phone: '+44 31' },
    });
    expect((await rowOf('patients', id))?.phone).toBe('+44 31');
    const conflicts = await server.database.db.$client.query(
      'select losing_values, server_values from sync_conflicts where row_id = $1',
      [id],
    );
    expect(conflicts.rows).toEqual([
      { losing_values: { phone: '+44 32' }, server_values: { phone: '+44 31' } },
    ]);
  });

  test('a delete is soft: the row stays with deletedAt set', async () => {
    const id = randomUUID();
    await pushOne(
      server,
      ward,
      mutation({
        table: 'patients',
        op: 'insert',
        id,
        userId: receptionId,
        data: patientRow({ firstName: 'Gone' }),
      }),
    );
    expect(
      await pushOne(
        server,
        ward,
        mutation({ table: 'patients', op: 'delete', id, userId: receptionId, baseVersion: 1 }),
      ),
    ).toMatchObject({ status: 'applied', version: 2 });
    expect((await rowOf('patients', id))?.deleted_at).not.toBeNull();
  });
});

describe('the server enforces the rules itself, mutation by mutation', () => {
  test('each failure is rejected with its reason and the rest of the batch still applies', async () => {
    const labTest = demoRow('lab_tests');
    const role = await server.database.db.$client.query<{ id: string }>(
      "select id from roles where name = 'nurse'",
    );
    const vitals = randomUUID();
    await pushOne(
      server,
      ward,
      mutation({ table: 'vitals', op: 'insert', id: vitals, data: vitalsRow() }),
    );
    const good = () =>
      mutation({ table: 'vitals', op: 'insert', id: randomUUID(), data: vitalsRow() });
    const batch = [
      mutation({
        table: 'vitals',
        op: 'insert',
        id: randomUUID(),
        data: vitalsRow(0, { temperatureC: 375 }),
      }),
      good(),
      mutation({
        table: 'vitals',
        op: 'insert',
        id: randomUUID(),
        userId: receptionId,
        data: vitalsRow(),
      }),
      mutation({
        table: 'vitals',
        op: 'insert',
        id: randomUUID(),
        userId: otherNurseId,
        data: vitalsRow(),
      }),
      mutation({
        table: 'lab_tests',
        op: 'update',
        id: labTest.id,
        userId: labTechId,
        baseVersion: 1,
        data: { status: 'completed', result: 'Hb 130' },
      }),
      mutation({ table: 'wardrobes', op: 'insert', id: randomUUID(), data: {} }),
      mutation({
        table: 'patients',
        op: 'update',
        id: randomUUID(),
        baseVersion: 1,
        data: { phone: '1' },
      }),
      mutation({
        table: 'vitals',
        op: 'update',
        id: vitals,
        baseVersion: 1,
        data: { heartRate: 90 },
      }),
      mutation({ table: 'vitals', op: 'delete', id: vitals, baseVersion: 1 }),
      mutation({
        table: 'roles',
        op: 'update',
        id: role.rows[0]?.id ?? '',
        baseVersion: 1,
        data: { description: 'x' },
      }),
      good(),
    ];
    const before = await countRows(server, 'vitals');
    const results = await push(server, ward, batch);
    expect(results.map((r) => [r.status, r.reason?.code])).toEqual([
      ['rejected', 'validation'],
      ['applied', undefined],
      ['rejected', 'forbidden'],
      ['rejected', 'forbidden'],
      ['rejected', 'invalid_transition'],
      ['rejected', 'unknown_table'],
      ['rejected', 'not_found'],
      ['rejected', 'validation'],
      ['rejected', 'validation'],
      ['rejected', 'forbidden'],
      ['applied', undefined],
    ]);
    expect(results[0]?.reason?.message).toContain('temperatureC');
    expect(await countRows(server, 'vitals')).toBe(before + 2);
    expect((await rowOf('lab_tests', labTest.id))?.status).toBe('pending');
  });

  test('an inactive account is refused', async () => {
    const pool = server.database.db.$client;
    await pool.query('update users set active = false where id = $1', [labTechId]);
    const result = await pushOne(
      server,
      ward,
      mutation({
        table: 'lab_tests',
        op: 'update',
        id: demoRow('lab_tests').id,
        userId: labTechId,
        baseVersion: 1,
        data: { status: 'accepted' },
      }),
    );
    await pool.query('update users set active = true where id = $1', [labTechId]);
    expect(result).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
  });

  test('the lab workflow moves forward only, with the permission of each step', async () => {
    const id = demoRow('lab_tests').id;
    const step = (status: string, version: number, userId = labTechId) =>
      pushOne(
        server,
        ward,
        mutation({
          table: 'lab_tests',
          op: 'update',
          id,
          userId,
          baseVersion: version,
          data:
            status === 'completed'
              ? { status, result: 'Hb 131 g/L', completedAt: NOW.toISOString() }
              : { status },
        }),
      );
    expect(await step('accepted', 1, nurseId)).toMatchObject({
      status: 'rejected',
      reason: { code: 'forbidden' },
    });
    expect(await step('accepted', 1)).toMatchObject({ status: 'applied', version: 2 });
    expect(await step('in_progress', 2)).toMatchObject({ status: 'applied', version: 3 });
    expect(await step('completed', 3)).toMatchObject({ status: 'applied', version: 4 });
    expect(await step('pending', 4)).toMatchObject({
      status: 'rejected',
      reason: { code: 'invalid_transition' },
    });
  });

  test('a discharged visit cannot be re-admitted', async () => {
    const visit = demoRow('visits', 5);
    const discharge = await pushOne(
      server,
      ward,
      mutation({
        table: 'visits',
        op: 'update',
        id: visit.id,
        userId: doctorId,
        baseVersion: 1,
        data: { status: 'discharged', dischargedAt: NOW.toISOString(), dischargeSummary: 'Home.' },
      }),
    );
    expect(discharge).toMatchObject({ status: 'applied', version: 2 });
    expect(
      await pushOne(
        server,
        ward,
        mutation({
          table: 'visits',
          op: 'update',
          id: visit.id,
          userId: doctorId,
          baseVersion: 2,
          data: { status: 'admitted' },
        }),
      ),
    ).toMatchObject({ status: 'rejected', reason: { code: 'invalid_transition' } });
  });

  test('a direct grant counts until it expires', async () => {
    const pool = server.database.db.$client;
    const permission = await pool.query<{ id: string }>(
      "select id from permissions where key = 'vitals:create'",
    );
    const grantId = randomUUID();
    await pool.query(
      'insert into user_permissions (id, hospital_id, user_id, permission_id, expires_at) values ($1, $2, $3, $4, $5)',
      [
        grantId,
        hospitalId,
        receptionId,
        permission.rows[0]?.id,
        new Date(NOW.getTime() + 3_600_000).toISOString(),
      ],
    );
    const attempt = () =>
      pushOne(
        server,
        ward,
        mutation({
          table: 'vitals',
          op: 'insert',
          id: randomUUID(),
          userId: receptionId,
          data: vitalsRow(),
        }),
      );
    expect(await attempt()).toMatchObject({ status: 'applied' });
    await pool.query('update user_permissions set expires_at = $2 where id = $1', [
      grantId,
      new Date(NOW.getTime() - 1000).toISOString(),
    ]);
    expect(await attempt()).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
  });

  test('a row the database refuses (unknown patient) is rejected alone; its neighbours apply', async () => {
    const results = await push(server, ward, [
      mutation({ table: 'vitals', op: 'insert', id: randomUUID(), data: vitalsRow() }),
      mutation({
        table: 'vitals',
        op: 'insert',
        id: randomUUID(),
        data: vitalsRow(0, { patientId: randomUUID() }),
      }),
      mutation({ table: 'vitals', op: 'insert', id: randomUUID(), data: vitalsRow() }),
    ]);
    expect(results.map((r) => [r.status, r.reason?.code])).toEqual([
      ['applied', undefined],
      ['rejected', 'validation'],
      ['applied', undefined],
    ]);
    expect(results[1]?.reason?.message).not.toMatch(/insert|select|constraint|fkey/i);
  });

  test('rows of another hospital cannot be changed, and the refusal does not show them', async () => {
    const result = await pushOne(
      server,
      otherWard,
      mutation({
        table: 'patients',
        op: 'update',
        id: demoRow('patients').id,
        userId: otherNurseId,
        baseVersion: 1,
        data: { phone: '0' },
      }),
    );
    expect(result).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
    expect(result.serverRow).toBeUndefined();
  });
});

describe('clinical reality wins over tidiness', () => {
  test('an admission into a held bed is kept without the bed, as a conflict with an alert', async () => {
    const heldBed = demoRow('visits', 0).bedId as string;
    const patient = randomUUID();
    const visit = randomUUID();
    const [registered, admitted] = await push(server, ward, [
      mutation({
        table: 'patients',
        op: 'insert',
        id: patient,
        userId: receptionId,
        data: patientRow({ firstName: 'Bedless' }),
      }),
      mutation({
        table: 'visits',
        op: 'insert',
        id: visit,
        data: {
          patientId: patient,
          wardId: demoRow('visits', 0).wardId,
          bedId: heldBed,
          attendingDoctorId: doctorId,
          status: 'admitted',
          admissionReason: 'Chest pain',
          admittedAt: NOW.toISOString(),
          dischargedAt: null,
          dischargeSummary: null,
        },
      }),
    ]);
    expect(registered?.status).toBe('applied');
    expect(admitted).toMatchObject({
      status: 'conflict',
      version: 1,
      reason: { code: 'bed_unavailable' },
      serverRow: { bedId: null },
    });
    expect((await rowOf('visits', visit))?.bed_id).toBeNull();
    const conflict = await server.database.db.$client.query(
      'select losing_values from sync_conflicts where row_id = $1',
      [visit],
    );
    expect(conflict.rows[0]).toMatchObject({ losing_values: { bedId: heldBed } });
    const alerts = await server.database.db.$client.query(
      "select * from clinical_alerts where kind = 'bed_conflict' and visit_id = $1",
      [visit],
    );
    expect(alerts.rows).toHaveLength(1);
  });

  test('a second given dose is applied with a warning and an alert', async () => {
    const prescription = demoRow('prescriptions');
    const dose = () =>
      mutation({
        table: 'medication_administrations',
        op: 'insert',
        id: randomUUID(),
        data: {
          prescriptionId: prescription.id,
          visitId: prescription.visitId,
          patientId: prescription.patientId,
          scheduledFor: '2026-11-23T08:00:00.000Z',
          status: 'given',
          reason: null,
          administeredAt: NOW.toISOString(),
          administeredBy: nurseId,
          enteredInErrorId: null,
        },
      });
    const [first, second] = await push(server, ward, [dose(), dose()]);
    expect(first).toMatchObject({ status: 'applied' });
    expect(first?.warnings).toBeUndefined();
    expect(second).toMatchObject({
      status: 'applied',
      warnings: [{ code: 'possible_double_dose' }],
    });
    expect(await pushOne(server, ward, dose())).toMatchObject({
      warnings: [{ code: 'possible_double_dose' }],
    });
    const alerts = await server.database.db.$client.query(
      "select count(*)::int as n from clinical_alerts where kind = 'possible_double_dose'",
    );
    expect(alerts.rows[0]).toMatchObject({ n: 2 });
  });

  test('a patient registered offline who matches another raises a duplicate alert', async () => {
    const existing = demoRow('patients', 2);
    const result = await pushOne(
      server,
      ward,
      mutation({
        table: 'patients',
        op: 'insert',
        id: randomUUID(),
        userId: receptionId,
        data: patientRow({
          firstName: existing.firstName,
          lastName: existing.lastName,
          dateOfBirth: existing.dateOfBirth,
          sex: existing.sex,
        }),
      }),
    );
    expect(result).toMatchObject({
      status: 'applied',
      warnings: [{ code: 'possible_duplicate_patient' }],
    });
    const alerts = await server.database.db.$client.query(
      "select details from clinical_alerts where kind = 'possible_duplicate_patient'",
    );
    expect(alerts.rows[0]).toMatchObject({ details: { matchingPatientId: existing.id } });
  });
});

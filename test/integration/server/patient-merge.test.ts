/**
 * Patient merge on the real server (issue 13): two desks register one person offline, a manager
 * merges the records, and everything that belonged to the merged record moves to the survivor;
 * changes that arrive later naming the merged record are filed under the survivor.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoUserId } from '../../../db/seed/demo-data';
import { PATIENT_RECORD_TABLES } from '../../../shared/catalog';
import {
  demoRow,
  doctorId,
  enroll,
  mutation,
  NOW,
  nurseId,
  patientRow,
  pullAll,
  push,
  pushOne,
  readAs,
  receptionId,
  startTestServer,
  vitalsRow,
  type Device,
  type TestServer,
} from './harness';

const managerId = demoUserId('manager@hass.example');

let server: TestServer;
let frontDesk: Device;
let wardDesk: Device;

beforeAll(async () => {
  server = await startTestServer();
  frontDesk = await enroll(server);
  wardDesk = await enroll(server);
});
afterAll(async () => {
  await server.close();
});

const query = async (text: string, values: unknown[] = []) =>
  (await server.database.db.$client.query(text, values)).rows as Record<string, unknown>[];

async function register(device: Device, overrides: Record<string, unknown> = {}) {
  const id = randomUUID();
  const result = await pushOne(
    server,
    device,
    mutation({
      table: 'patients',
      op: 'insert',
      id,
      userId: receptionId,
      data: patientRow({
        firstName: 'Grace',
        lastName: 'Hopper',
        dateOfBirth: '1946-12-09',
        ...overrides,
      }),
    }),
  );
  return { id, result };
}

const insert = (device: Device, table: string, data: Record<string, unknown>, userId = nurseId) =>
  pushOne(server, device, mutation({ table, op: 'insert', id: randomUUID(), userId, data }));

const merge = (
  device: Device,
  survivorPatientId: string,
  mergedPatientId: string,
  userId = managerId,
) =>
  pushOne(
    server,
    device,
    mutation({
      table: 'patient_merges',
      op: 'insert',
      id: randomUUID(),
      userId,
      data: {
        survivorPatientId,
        mergedPatientId,
        mergedBy: userId,
        mergedAt: NOW.toISOString(),
        reason: 'Same person, registered twice',
      },
    }),
  );

let appointmentHour = 8;

/** A stay with one of everything a record can hold, all under `patientId`. */
async function chartEverything(device: Device, patientId: string) {
  const ward = demoRow('wards');
  const visitId = randomUUID();
  const applied = (result: { status: string }) => {
    expect(result.status).toBe('applied');
  };
  applied(
    await pushOne(
      server,
      device,
      mutation({
        table: 'visits',
        op: 'insert',
        id: visitId,
        data: {
          patientId,
          wardId: ward.id,
          bedId: null,
          attendingDoctorId: doctorId,
          status: 'admitted',
          admissionReason: 'Fall',
          admittedAt: NOW.toISOString(),
          dischargedAt: null,
          dischargeSummary: null,
        },
      }),
    ),
  );
  applied(await insert(device, 'vitals', vitalsRow(0, { visitId, patientId })));
  applied(
    await insert(device, 'nurse_logs', {
      visitId,
      patientId,
      kind: 'note',
      body: 'Settled.',
      recordedAt: NOW.toISOString(),
      recordedBy: nurseId,
      enteredInErrorId: null,
    }),
  );
  applied(
    await insert(
      device,
      'lab_tests',
      {
        visitId,
        patientId,
        testCode: 'CBC',
        testName: 'Complete blood count',
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
      doctorId,
    ),
  );
  const prescriptionId = randomUUID();
  applied(
    await pushOne(
      server,
      device,
      mutation({
        table: 'prescriptions',
        op: 'insert',
        id: prescriptionId,
        userId: doctorId,
        data: {
          visitId,
          patientId,
          drug: 'Paracetamol',
          dose: '1 g',
          frequency: 'QDS',
          route: 'oral',
          durationDays: 3,
          startsAt: NOW.toISOString(),
          endsAt: null,
          status: 'active',
          prescribedBy: doctorId,
          notes: null,
        },
      }),
    ),
  );
  applied(
    await insert(device, 'medication_administrations', {
      prescriptionId,
      visitId,
      patientId,
      scheduledFor: NOW.toISOString(),
      status: 'given',
      reason: null,
      administeredAt: NOW.toISOString(),
      administeredBy: nurseId,
      enteredInErrorId: null,
    }),
  );
  applied(
    await insert(
      device,
      'appointments',
      {
        patientId,
        doctorId,
        // One appointment an hour, so the doctor's slots never clash (that is slot-taken.test.ts).
        scheduledAt: `2026-12-01T${String((appointmentHour += 1)).padStart(2, '0')}:00:00.000Z`,
        durationMinutes: 15,
        status: 'scheduled',
        reason: 'Follow-up',
        checkedInAt: null,
        cancellationReason: null,
      },
      receptionId,
    ),
  );
  applied(
    await insert(
      device,
      'emr_local',
      { visitId, patientId, kind: 'assessment', body: { plan: 'Mobilise' } },
      doctorId,
    ),
  );
  return visitId;
}

describe('two desks register one person offline, and a manager merges the records', () => {
  let survivor: string;
  let merged: string;
  let mergedVisit: string;

  test('the second registration raises a possible-duplicate alert', async () => {
    survivor = (await register(frontDesk, { allergies: [{ substance: 'Latex' }] })).id;
    const second = await register(wardDesk, {
      phone: '+44 7700 900500',
      allergies: [{ substance: 'Penicillin', severity: 'severe' }, { substance: 'latex' }],
    });
    merged = second.id;
    expect(second.result.warnings?.map((w) => w.code)).toEqual(['possible_duplicate_patient']);
    mergedVisit = await chartEverything(wardDesk, merged);
  });

  test('the merge moves every row of the merged record to the survivor, and marks it', async () => {
    const feedBefore = Number((await query('select max(seq) as seq from change_feed'))[0]?.seq);
    const result = await merge(frontDesk, survivor, merged);
    expect(result).toMatchObject({ status: 'applied', version: 1 });
    expect(result.warnings).toBeUndefined();
    for (const table of PATIENT_RECORD_TABLES) {
      const left = await query(`select count(*)::int as n from "${table}" where patient_id = $1`, [
        merged,
      ]);
      expect(left[0]?.n, `${table} still under the merged record`).toBe(0);
    }
    // Visits, vitals, nurse log, lab, prescription, dose, appointment, EMR entry.
    for (const table of [
      'visits',
      'vitals',
      'nurse_logs',
      'lab_tests',
      'prescriptions',
      'medication_administrations',
      'appointments',
      'emr_local',
    ]) {
      const moved = await query(
        `select count(*)::int as n, min(version) as v from "${table}" where patient_id = $1`,
        [survivor],
      );
      expect(moved[0]?.n, table).toBe(1);
      expect(moved[0]?.v, `${table} got a new version`).toBe(2);
    }
    const [mergedRow] = await query(
      'select merged_into_id, deleted_at, mrn from patients where id = $1',
      [merged],
    );
    expect(mergedRow).toMatchObject({ merged_into_id: survivor, deleted_at: null });
    const [survivorRow] = await query(
      'select phone, allergies, merged_into_id from patients where id = $1',
      [survivor],
    );
    // The survivor keeps its details, takes what it lacked, and no allergy is dropped.
    expect(survivorRow).toMatchObject({ phone: '+44 7700 900500', merged_into_id: null });
    expect(survivorRow?.allergies).toEqual([
      { substance: 'Latex' },
      { substance: 'Penicillin', severity: 'severe' },
    ]);
    const [alert] = await query(
      "select acknowledged_by, acknowledged_at, patient_id from clinical_alerts where kind = 'possible_duplicate_patient' and details->>'matchingPatientId' = $1",
      [survivor],
    );
    expect(alert).toMatchObject({ acknowledged_by: managerId, patient_id: survivor });
    expect(alert?.acknowledged_at).not.toBeNull();
    // Every moved row reaches the other workstations' pulls.
    const moved = await query('select table_name from change_feed where seq > $1', [feedBefore]);
    expect(moved.map((row) => row.table_name)).toEqual(
      expect.arrayContaining([
        'patients',
        'visits',
        'vitals',
        'medication_administrations',
        'clinical_alerts',
        'patient_merges',
      ]),
    );
    const history = await query(
      'select changed_fields, changed_by from row_history where table_name = $1 and row_id = $2 and version = 2',
      ['visits', mergedVisit],
    );
    expect(history[0]).toMatchObject({ changed_fields: ['patientId'], changed_by: managerId });
  });

  test('a late vitals entry naming the merged record, from a desk that had not heard, lands on the survivor', async () => {
    const id = randomUUID();
    const result = await pushOne(
      server,
      wardDesk,
      mutation({
        table: 'vitals',
        op: 'insert',
        id,
        data: vitalsRow(0, { visitId: mergedVisit, patientId: merged, notes: 'late' }),
      }),
    );
    expect(result).toMatchObject({
      status: 'applied',
      version: 1,
      warnings: [{ code: 'merged_record' }],
    });
    const [row] = await query('select patient_id, visit_id from vitals where id = $1', [id]);
    expect(row).toMatchObject({ patient_id: survivor, visit_id: mergedVisit });
    // The desk's next pull brings the row as the server filed it.
    const { changes } = await pullAll(server, wardDesk);
    const pulled = changes.filter((change) => change.id === id).at(-1);
    expect(pulled?.row).toMatchObject({ patientId: survivor });
  });

  test('a late edit of the merged record is kept there and copied to the survivor', async () => {
    const [before] = await query('select version from patients where id = $1', [merged]);
    const result = await pushOne(
      server,
      wardDesk,
      mutation({
        table: 'patients',
        op: 'update',
        id: merged,
        userId: receptionId,
        baseVersion: 1,
        data: {
          phone: '+44 7700 900501',
          allergies: [{ substance: 'Penicillin', severity: 'severe' }, { substance: 'Codeine' }],
        },
      }),
    );
    expect(result).toMatchObject({
      status: 'applied',
      version: Number(before?.version) + 1,
      warnings: [{ code: 'merged_record' }],
    });
    const [survivorRow] = await query('select phone, allergies from patients where id = $1', [
      survivor,
    ]);
    expect(survivorRow?.phone).toBe('+44 7700 900501');
    expect((survivorRow?.allergies as { substance: string }[]).map((a) => a.substance)).toEqual([
      'Latex',
      'Penicillin',
      'Codeine',
    ]);
  });

  test("where the survivor has another value, it keeps it and the server's conflict record keeps the edit", async () => {
    const [current] = await query('select version from patients where id = $1', [survivor]);
    await pushOne(
      server,
      frontDesk,
      mutation({
        table: 'patients',
        op: 'update',
        id: survivor,
        userId: receptionId,
        baseVersion: Number(current?.version),
        data: { address: '1 Front Street' },
      }),
    );
    const result = await pushOne(
      server,
      wardDesk,
      mutation({
        table: 'patients',
        op: 'update',
        id: merged,
        userId: receptionId,
        baseVersion: 1,
        data: { address: '2 Ward Road' },
      }),
    );
    expect(result.warnings?.[0]?.message).toContain('kept its own address');
    const [survivorRow] = await query('select address from patients where id = $1', [survivor]);
    expect(survivorRow?.address).toBe('1 Front Street');
    const [conflict] = await query(
      "select losing_values, server_values from sync_conflicts where row_id = $1 and reason_code = 'concurrent_edit'",
      [merged],
    );
    expect(conflict).toMatchObject({
      losing_values: { address: '2 Ward Road' },
      server_values: { address: '1 Front Street' },
    });
  });

  test('merging the same two records again, either way round, moves nothing and says so', async () => {
    const versions = await query(
      'select version from patients where id = any($1::uuid[]) order by id',
      [[survivor, merged]],
    );
    const result = await merge(wardDesk, merged, survivor);
    expect(result).toMatchObject({ status: 'applied', warnings: [{ code: 'merged_record' }] });
    expect(
      await query('select version from patients where id = any($1::uuid[]) order by id', [
        [survivor, merged],
      ]),
    ).toEqual(versions);
  });

  test('a merge naming a merged record follows it to its survivor, and chains stay one step long', async () => {
    const third = (await register(frontDesk, { firstName: 'Grace B.' })).id;
    expect((await merge(frontDesk, merged, third)).status).toBe('applied');
    expect(
      (await query('select merged_into_id from patients where id = $1', [third]))[0]
        ?.merged_into_id,
    ).toBe(survivor);
    const fourth = (await register(frontDesk, { firstName: 'G.' })).id;
    expect((await merge(frontDesk, fourth, survivor)).status).toBe('applied');
    const marks = await query(
      'select id, merged_into_id from patients where id = any($1::uuid[])',
      [[survivor, merged, third]],
    );
    expect(marks.every((row) => row.merged_into_id === fourth)).toBe(true);
    const [visit] = await query('select patient_id from visits where id = $1', [mergedVisit]);
    expect(visit?.patient_id).toBe(fourth);
  });

  test('the merge mark is the server’s: a workstation cannot set it', async () => {
    const other = (await register(frontDesk, { firstName: 'Ada', lastName: 'King' })).id;
    const result = await pushOne(
      server,
      frontDesk,
      mutation({
        table: 'patients',
        op: 'update',
        id: other,
        userId: receptionId,
        baseVersion: 1,
        data: { mergedIntoId: survivor },
      }),
    );
    expect(result).toMatchObject({ status: 'rejected', reason: { code: 'validation' } });
  });

  test('only a person with patients:merge can merge records', async () => {
    const a = (await register(frontDesk, { lastName: 'Nurse-merge' })).id;
    const b = (await register(wardDesk, { lastName: 'Nurse-merge' })).id;
    const result = await merge(wardDesk, a, b, nurseId);
    expect(result).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
    expect(
      (await query('select merged_into_id from patients where id = $1', [b]))[0]?.merged_into_id,
    ).toBeNull();
  });

  test('a discharged stay promoted to the global EMR follows its visit to the survivor', async () => {
    const a = (await register(frontDesk, { lastName: 'Promoted' })).id;
    const b = (await register(wardDesk, { lastName: 'Promoted' })).id;
    const visitId = await chartEverything(wardDesk, b);
    const [visit] = await query('select version from visits where id = $1', [visitId]);
    const discharge = await pushOne(
      server,
      wardDesk,
      mutation({
        table: 'visits',
        op: 'update',
        id: visitId,
        userId: doctorId,
        baseVersion: Number(visit?.version),
        data: { status: 'discharged', dischargedAt: NOW.toISOString(), dischargeSummary: 'Home.' },
      }),
    );
    expect(discharge.status).toBe('applied');
    expect(
      (await query('select patient_id from emr_global where visit_id = $1', [visitId]))[0]
        ?.patient_id,
    ).toBe(b);
    expect((await merge(frontDesk, a, b)).status).toBe('applied');
    expect(
      (await query('select patient_id from emr_global where visit_id = $1', [visitId]))[0]
        ?.patient_id,
    ).toBe(a);
    // Read under either record's id, the global EMR is the survivor's.
    for (const id of [a, b]) {
      const read = await readAs(server, frontDesk, doctorId, `/v1/emr/global/${id}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ patientId: id, entries: [{ visitId }] });
    }
  });

  test('one push that registers, charts and merges is carried out in order', async () => {
    const a = (await register(frontDesk, { lastName: 'Batch' })).id;
    const b = randomUUID();
    const vitalsId = randomUUID();
    const visit = demoRow('visits', 2);
    const results = await push(server, wardDesk, [
      mutation({
        table: 'patients',
        op: 'insert',
        id: b,
        userId: receptionId,
        data: patientRow({ lastName: 'Batch' }),
      }),
      mutation({
        table: 'patient_merges',
        op: 'insert',
        id: randomUUID(),
        userId: managerId,
        data: {
          survivorPatientId: a,
          mergedPatientId: b,
          mergedBy: managerId,
          mergedAt: NOW.toISOString(),
          reason: null,
        },
      }),
      mutation({
        table: 'vitals',
        op: 'insert',
        id: vitalsId,
        data: vitalsRow(2, { visitId: visit.id, patientId: b }),
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(results[2]?.warnings?.map((w) => w.code)).toEqual(['merged_record']);
    expect(
      (await query('select patient_id from vitals where id = $1', [vitalsId]))[0]?.patient_id,
    ).toBe(a);
  });
});

/**
 * Tenancy (SYNC-PROTOCOL.md, protocol 2): South General's workstation acts for SGH only. It
 * cannot reuse North General's row ids, name NGH's patients, visits, beds, wards or staff in
 * its changes, or change NGH's rows; a refusal never carries NGH's row back, and each one is in
 * the server's log at warn with the device and user ids. Its pull holds SGH, the shared
 * reference data, and of people outside SGH only their name and role. A discharge never lands
 * in another hospital's patient's global EMR.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  buildSecondHospitalData,
  demoUserId,
  SECOND_HOSPITAL_ID,
} from '../../../db/seed/demo-data';
import { promoteDischargedVisits } from '../../../server/records/promotion';
import { loadTableShapes } from '../../../server/sync/table-shapes';
import type { Change, Mutation, MutationResult } from '../../../shared/protocol';
import {
  countRows,
  demoRow,
  enroll,
  hospitalId as nghId,
  mutation,
  NOW,
  nurseId as nghNurseId,
  doctorId as nghDoctorId,
  pullAll,
  push,
  pushOne,
  startTestServer,
  vitalsRow,
  type Device,
  type TestServer,
} from './harness';

const sgh = buildSecondHospitalData(NOW);
const sghNurseId = demoUserId('nurse.sgh@hass.example');
const adminId = demoUserId('admin@hass.example');
const first = (table: string) => {
  const row = sgh[table]?.[0];
  if (!row) throw new Error(`SGH demo data has no ${table}`);
  return row;
};
const sghPatient = first('patients');
const sghVisit = first('visits');
const sghWard = first('wards');

/** Every log line the server writes, parsed. */
const logLines: Record<string, unknown>[] = [];
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() !== '') logLines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  },
});

let server: TestServer;
let ngh: Device;
let south: Device;

beforeAll(async () => {
  server = await startTestServer({ logger: { level: 'warn' }, logDestination: logSink });
  ngh = await enroll(server, 'NGH');
  south = await enroll(server, 'SGH');
});
afterAll(async () => {
  await server.close();
});

/** A vitals entry on SGH's admitted patient, charted by SGH's nurse. */
const sghVitals = (overrides: Record<string, unknown> = {}, fields: Partial<Mutation> = {}) =>
  mutation({
    table: 'vitals',
    op: 'insert',
    id: randomUUID(),
    userId: sghNurseId,
    data: vitalsRow(0, {
      visitId: sghVisit.id,
      patientId: sghPatient.id,
      recordedBy: sghNurseId,
      ...overrides,
    }),
    ...fields,
  });

const nghPatient = demoRow('patients', 0);
const nghVisit = demoRow('visits', 0);
// A free NGH bed (beds 0–3 of ward A hold the first four admissions).
const nghFreeBed = demoRow('beds', 4);

const refusedForTenancy = (result: MutationResult | undefined) => {
  expect(result).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
  expect(result?.serverRow).toBeUndefined();
  // Nothing of NGH's row in the sentence either.
  expect(JSON.stringify(result)).not.toContain(nghPatient.lastName as string);
};

describe('an SGH workstation pushes changes for SGH only', () => {
  test('its own vitals apply: the check lets a hospital work on its own rows', async () => {
    expect(await pushOne(server, south, sghVitals())).toMatchObject({ status: 'applied' });
  });

  test('an insert reusing an NGH row id is forbidden and carries no NGH row', async () => {
    const nghVitals = demoRow('vitals', 0);
    const before = await server.database.db.$client.query('select * from vitals where id = $1', [
      nghVitals.id,
    ]);
    const result = await pushOne(server, south, sghVitals({}, { id: nghVitals.id }));
    refusedForTenancy(result);
    expect(JSON.stringify(result)).not.toContain(nghVitals.visitId as string);
    const after = await server.database.db.$client.query('select * from vitals where id = $1', [
      nghVitals.id,
    ]);
    expect(after.rows).toEqual(before.rows);
  });

  test('changes naming an NGH patient, visit, bed, ward or staff member are forbidden', async () => {
    const vitalsBefore = await countRows(server, 'vitals');
    const visitsBefore = await countRows(server, 'visits');
    const sghVisitBefore = await server.database.db.$client.query<{ version: number }>(
      'select version, bed_id, ward_id, attending_doctor_id from visits where id = $1',
      [sghVisit.id],
    );
    const version = sghVisitBefore.rows[0]?.version ?? 1;
    const moveSghVisit = (data: Record<string, unknown>, userId = sghNurseId) =>
      mutation({
        table: 'visits',
        op: 'update',
        id: sghVisit.id,
        userId,
        baseVersion: version,
        data,
      });
    const results = await push(server, south, [
      sghVitals({ patientId: nghPatient.id }),
      sghVitals({ visitId: nghVisit.id }),
      sghVitals({ recordedBy: nghNurseId }),
      mutation({
        table: 'visits',
        op: 'insert',
        id: randomUUID(),
        userId: sghNurseId,
        data: {
          patientId: nghPatient.id,
          wardId: sghWard.id,
          bedId: null,
          attendingDoctorId: null,
          status: 'admitted',
          admissionReason: 'Transferred in',
          admittedAt: NOW.toISOString(),
          dischargedAt: null,
          dischargeSummary: null,
        },
      }),
      moveSghVisit({ bedId: nghFreeBed.id }),
      moveSghVisit({ wardId: nghFreeBed.wardId, bedId: null }),
      // A super administrator holds every permission: only tenancy can refuse this one.
      moveSghVisit({ attendingDoctorId: nghDoctorId }, adminId),
    ]);
    expect(results).toHaveLength(7);
    for (const result of results) refusedForTenancy(result);
    expect(results.map((result) => result.reason?.message.split(':')[0])).toEqual([
      'patientId',
      'visitId',
      'recordedBy',
      'patientId',
      'bedId',
      'wardId',
      'attendingDoctorId',
    ]);
    expect(await countRows(server, 'vitals')).toBe(vitalsBefore);
    expect(await countRows(server, 'visits')).toBe(visitsBefore);
    const sghVisitAfter = await server.database.db.$client.query(
      'select version, bed_id, ward_id, attending_doctor_id from visits where id = $1',
      [sghVisit.id],
    );
    expect(sghVisitAfter.rows).toEqual(sghVisitBefore.rows);
  });

  test('an NGH row cannot be changed or deleted from SGH, even by an administrator', async () => {
    const [update, remove] = await push(server, south, [
      mutation({
        table: 'patients',
        op: 'update',
        id: nghPatient.id,
        userId: adminId,
        baseVersion: 1,
        data: { phone: '0' },
      }),
      mutation({ table: 'beds', op: 'delete', id: nghFreeBed.id, userId: adminId, baseVersion: 1 }),
    ]);
    refusedForTenancy(update);
    refusedForTenancy(remove);
    const bed = await server.database.db.$client.query<{ deleted_at: string | null }>(
      'select deleted_at from beds where id = $1',
      [nghFreeBed.id],
    );
    expect(bed.rows[0]?.deleted_at).toBeNull();
  });

  test('an NGH mutation id sent again from SGH answers with nothing of NGH', async () => {
    const nghMutation = mutation({
      table: 'vitals',
      op: 'insert',
      id: randomUUID(),
      data: vitalsRow(0),
    });
    expect(await pushOne(server, ngh, nghMutation)).toMatchObject({ status: 'applied' });
    const echoed = await pushOne(server, south, { ...nghMutation, userId: sghNurseId });
    expect(echoed).toMatchObject({ status: 'duplicate', reason: { code: 'forbidden' } });
    expect(echoed.version).toBeUndefined();
    expect(echoed.serverRow).toBeUndefined();
  });

  test('each refusal is logged at warn with device and user ids, never the data', () => {
    const refused = logLines.filter((line) => line.msg === 'mutation refused');
    expect(refused.length).toBeGreaterThanOrEqual(10);
    for (const line of refused) {
      expect(line.level).toBe(40);
      expect(line.deviceId).toBe(south.id);
      expect([sghNurseId, adminId]).toContain(line.userId);
      expect(line.code).toBe('forbidden');
      expect(typeof line.mutationId).toBe('string');
    }
    const everything = JSON.stringify(logLines);
    expect(everything).not.toContain(south.token);
    expect(everything).not.toContain(nghPatient.lastName as string);
    expect(everything).not.toContain(nghPatient.id);
  });
});

describe('an SGH workstation pulls SGH and nothing of NGH', () => {
  test('its hospital, the reference data, and people outside it by name and role only', async () => {
    // A grant to a regional administrator has no hospital; no hospital's device receives it.
    const regionalId = demoUserId('regional@hass.example');
    await server.database.db.$client.query(
      `insert into user_permissions (id, hospital_id, user_id, permission_id)
       select $1, null, $2, id from permissions where key = 'audit:read'`,
      [randomUUID(), regionalId],
    );
    // A failed sign-in of the super administrator rewrites their row (and its counters).
    await server.database.db.$client.query(
      'update users set failed_login_count = 2 where id = $1',
      [adminId],
    );
    const { changes } = await pullAll(server, south);
    const byTable = (table: string) => changes.filter((change) => change.table === table);
    const whole = changes.filter((change) => 'hospitalId' in change.row);
    for (const change of whole) {
      expect([SECOND_HOSPITAL_ID, null], `${change.table}:${change.id}`).toContain(
        change.row.hospitalId,
      );
    }
    for (const table of ['patients', 'visits', 'vitals', 'wards', 'beds', 'hospitals']) {
      expect(
        byTable(table).every((change) => change.row.hospitalId === SECOND_HOSPITAL_ID),
        table,
      ).toBe(true);
    }
    expect(byTable('patients').map((change) => change.id)).toEqual([sghPatient.id]);
    expect(byTable('user_permissions')).toEqual([]);
    const people = byTable('users');
    const ids = people.map((change) => change.id);
    expect(ids).toContain(sghNurseId);
    expect(ids).not.toContain(nghNurseId);
    expect(ids).not.toContain(nghDoctorId);
    const outsiders = people.filter((change) => change.id !== sghNurseId);
    expect(outsiders.length).toBeGreaterThanOrEqual(2);
    for (const change of outsiders) {
      expect(Object.keys(change.row).sort()).toEqual(['fullName', 'id', 'roles']);
    }
    expect(people.find((change) => change.id === adminId)?.row).toEqual({
      id: adminId,
      fullName: 'Alex Morgan',
      roles: ['super_admin'],
    });
    const emails = JSON.stringify(changes).match(/[\w.]+@hass\.example/g) ?? [];
    expect([...new Set(emails)]).toEqual(['nurse.sgh@hass.example']);
    // NGH's own device still receives its people whole.
    const nghChanges = (await pullAll(server, ngh)).changes;
    const nghNurse = nghChanges.find((change: Change) => change.id === nghNurseId);
    expect(nghNurse?.row).toMatchObject({ email: 'nurse@hass.example', hospitalId: nghId });
  });
});

describe('promotion to the global EMR never crosses hospitals', () => {
  test('a discharge of an SGH visit lands in its SGH patient’s record only', async () => {
    const pool = server.database.db.$client;
    // Rows from before the server refused cross-hospital references: an NGH vitals entry on
    // SGH's visit, and an SGH visit of an NGH patient.
    const strayVitals = randomUUID();
    await pool.query(
      `insert into vitals (id, hospital_id, visit_id, patient_id, recorded_at, heart_rate, recorded_by, abnormal)
       values ($1, $2, $3, $4, $5, 71, $6, '[]')`,
      [strayVitals, nghId, sghVisit.id, nghPatient.id, NOW.toISOString(), nghNurseId],
    );
    const strayVisit = randomUUID();
    await pool.query(
      `insert into visits (id, hospital_id, patient_id, ward_id, status, admitted_at, discharged_at, discharge_summary)
       values ($1, $2, $3, $4, 'discharged', $5, $5, 'Stray')`,
      [strayVisit, SECOND_HOSPITAL_ID, nghPatient.id, sghWard.id, NOW.toISOString()],
    );
    const client = await pool.connect();
    try {
      await promoteDischargedVisits(client, await loadTableShapes(pool), [strayVisit]);
    } finally {
      client.release();
    }
    const version = await pool.query<{ version: number }>(
      'select version from visits where id = $1',
      [sghVisit.id],
    );
    const discharged = await pushOne(
      server,
      south,
      mutation({
        table: 'visits',
        op: 'update',
        id: sghVisit.id,
        userId: adminId,
        baseVersion: version.rows[0]?.version ?? 1,
        data: {
          status: 'discharged',
          dischargedAt: NOW.toISOString(),
          dischargeSummary: 'Home on inhalers.',
        },
      }),
    );
    expect(discharged.status).toBe('applied');
    const entries = await pool.query<{
      patient_id: string;
      source_hospital_id: string;
      record: { vitals: { id: string }[] };
    }>('select patient_id, source_hospital_id, record from emr_global where visit_id = any($1)', [
      [sghVisit.id, strayVisit],
    ]);
    expect(entries.rows).toHaveLength(1);
    const [entry] = entries.rows;
    expect(entry).toMatchObject({
      patient_id: sghPatient.id,
      source_hospital_id: SECOND_HOSPITAL_ID,
    });
    const vitalsIds = entry?.record.vitals.map((row) => row.id) ?? [];
    expect(vitalsIds.length).toBeGreaterThan(0);
    expect(vitalsIds).not.toContain(strayVitals);
    const nghRecord = await pool.query('select 1 from emr_global where patient_id = $1', [
      nghPatient.id,
    ]);
    expect(nghRecord.rowCount).toBe(0);
  });
});

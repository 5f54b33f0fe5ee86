/**
 * A lost answer never hides an outcome (SYNC-PROTOCOL.md, push, "Idempotent", protocol 2): a
 * resend answers `duplicate` repeating the first answer's status, reason and warnings, with the
 * row as the server has it now for a refusal or a conflict, and changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pushMutations, type PushLog } from '../../../server/sync/push';
import { loadTableShapes } from '../../../server/sync/table-shapes';
import {
  addHospital,
  countRows,
  demoRow,
  doctorId,
  enroll,
  mutation,
  NOW,
  nurseId,
  push,
  pushOne,
  receptionId,
  startTestServer,
  vitalsRow,
  type Device,
  type TestServer,
} from './harness';

let server: TestServer;
let ward: Device;
let desk: Device;
let otherWard: Device;
let otherNurseId: string;

beforeAll(async () => {
  server = await startTestServer();
  ward = await enroll(server);
  desk = await enroll(server);
  const other = await addHospital(server, 'XGH');
  otherNurseId = other.nurseId;
  otherWard = await enroll(server, 'XGH');
});
afterAll(async () => {
  await server.close();
});

const query = async (sql: string, values: unknown[] = []) =>
  (await server.database.db.$client.query(sql, values)).rows as Record<string, unknown>[];

/** A nurse writing a discharge summary: only a doctor may, so the server refuses it. */
const nurseSummary = (visitIndex: number, version: number) =>
  mutation({
    table: 'visits',
    op: 'update',
    id: demoRow('visits', visitIndex).id,
    userId: nurseId,
    baseVersion: version,
    data: { dischargeSummary: 'Going home tomorrow.' },
  });

describe('a resend whose first answer was lost', () => {
  test('of a refused change repeats the refusal, with the row as the server has it now', async () => {
    const refused = nurseSummary(1, 1);
    const first = await pushOne(server, ward, refused);
    expect(first).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
    // Meanwhile a doctor on another workstation changes the visit.
    expect(
      await pushOne(
        server,
        desk,
        mutation({
          table: 'visits',
          op: 'update',
          id: refused.id,
          userId: doctorId,
          baseVersion: 1,
          data: { admissionReason: 'Observation after a fall' },
        }),
      ),
    ).toMatchObject({ status: 'applied', version: 2 });

    const again = await pushOne(server, ward, refused);
    expect(again).toEqual({
      mutationId: refused.mutationId,
      status: 'duplicate',
      firstStatus: 'rejected',
      reason: first.reason,
      serverRow: expect.objectContaining({
        id: refused.id,
        version: 2,
        admissionReason: 'Observation after a fall',
        dischargeSummary: null,
      }) as unknown,
    });
  });

  test('of a conflict repeats it once: same version and reason, today’s row, no second record', async () => {
    const patient = demoRow('patients', 1);
    expect(
      await pushOne(
        server,
        desk,
        mutation({
          table: 'patients',
          op: 'update',
          id: patient.id,
          userId: receptionId,
          baseVersion: 1,
          data: { phone: '+44 7700 900100' },
        }),
      ),
    ).toMatchObject({ status: 'applied', version: 2 });
    const clash = mutation({
      table: 'patients',
      op: 'update',
      id: patient.id,
      baseVersion: 1,
      data: { phone: '+44 7700 900200' },
    });
    const first = await pushOne(server, ward, clash);
    expect(first).toMatchObject({
      status: 'conflict',
      version: 2,
      reason: { code: 'concurrent_edit' },
    });
    expect(
      await pushOne(
        server,
        desk,
        mutation({
          table: 'patients',
          op: 'update',
          id: patient.id,
          userId: receptionId,
          baseVersion: 2,
          data: { address: '4 Harbour Lane' },
        }),
      ),
    ).toMatchObject({ status: 'applied', version: 3 });

    const again = await pushOne(server, ward, clash);
    expect(again).toMatchObject({
      status: 'duplicate',
      firstStatus: 'conflict',
      version: 2,
      reason: first.reason,
      serverRow: { phone: '+44 7700 900100', address: '4 Harbour Lane', version: 3 },
    });
    expect(
      await query('select count(*)::int as n from sync_conflicts where mutation_id = $1', [
        clash.mutationId,
      ]),
    ).toEqual([{ n: 1 }]);
    // The idempotency record keeps the outcome, not a copy of the patient's row.
    const [stored] = await query(
      'select status, result from applied_mutations where mutation_id = $1',
      [clash.mutationId],
    );
    expect(stored).toEqual({
      status: 'conflict',
      result: { status: 'conflict', version: 2, reason: first.reason },
    });
  });

  test('of an applied change repeats its warnings and no row', async () => {
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
          scheduledFor: '2026-11-23T14:00:00.000Z',
          status: 'given',
          reason: null,
          administeredAt: NOW.toISOString(),
          administeredBy: nurseId,
          enteredInErrorId: null,
        },
      });
    const second = dose();
    const [, first] = await push(server, ward, [dose(), second]);
    expect(first).toMatchObject({
      status: 'applied',
      warnings: [{ code: 'possible_double_dose' }],
    });
    const alerts = await countRows(server, 'clinical_alerts');

    expect(await pushOne(server, ward, second)).toEqual({
      mutationId: second.mutationId,
      status: 'duplicate',
      firstStatus: 'applied',
      version: 1,
      warnings: first?.warnings,
    });
    expect(await countRows(server, 'clinical_alerts')).toBe(alerts);
  });

  test('within the same batch is answered like a later one', async () => {
    const refused = nurseSummary(2, 1);
    const taken = mutation({ table: 'vitals', op: 'insert', id: randomUUID(), data: vitalsRow() });
    const results = await push(server, ward, [refused, taken, refused, taken]);
    expect(results.map((r) => [r.status, r.firstStatus])).toEqual([
      ['rejected', undefined],
      ['applied', undefined],
      ['duplicate', 'rejected'],
      ['duplicate', 'applied'],
    ]);
    expect(results[2]).toMatchObject({
      reason: results[0]?.reason,
      serverRow: { id: refused.id, version: 1 },
    });
    expect(results[3]?.serverRow).toBeUndefined();
    expect(
      await query('select count(*)::int as n from applied_mutations where mutation_id = any($1)', [
        [refused.mutationId, taken.mutationId],
      ]),
    ).toEqual([{ n: 2 }]);
  });

  test('of a change the database refused repeats the refusal', async () => {
    const orphan = mutation({
      table: 'vitals',
      op: 'insert',
      id: randomUUID(),
      data: vitalsRow(0, { patientId: randomUUID() }),
    });
    const first = await pushOne(server, ward, orphan);
    expect(first).toMatchObject({ status: 'rejected', reason: { code: 'validation' } });
    expect(await pushOne(server, ward, orphan)).toEqual({
      mutationId: orphan.mutationId,
      status: 'duplicate',
      firstStatus: 'rejected',
      reason: first.reason,
    });
  });

  test('never carries another hospital’s row', async () => {
    const patient = demoRow('patients', 3);
    const intrusion = mutation({
      table: 'patients',
      op: 'update',
      id: patient.id,
      userId: otherNurseId,
      baseVersion: 1,
      data: { phone: '0' },
    });
    expect(await pushOne(server, otherWard, intrusion)).toMatchObject({
      status: 'rejected',
      reason: { code: 'forbidden' },
    });
    const again = await pushOne(server, otherWard, intrusion);
    expect(again).toMatchObject({ status: 'duplicate', firstStatus: 'rejected' });
    expect(again.serverRow).toBeUndefined();
    // A mutation of this hospital replayed by the other hospital's device shows it nothing either.
    const refused = nurseSummary(3, 1);
    expect((await pushOne(server, ward, refused)).serverRow).toMatchObject({ id: refused.id });
    const replay = await pushOne(server, otherWard, refused);
    expect(replay).toMatchObject({ status: 'duplicate', firstStatus: 'rejected' });
    expect(replay.serverRow).toBeUndefined();
  });
});

describe('the push fast path', () => {
  test('says in the log why it redid a batch one by one, without the values', async () => {
    const lines: { fields: Record<string, unknown>; message: string }[] = [];
    const log: PushLog = { info: (fields, message) => lines.push({ fields, message }) };
    const pool = server.database.db.$client;
    // Its own device: called directly, the push takes the test's numbering, not the harness's.
    const direct = await enroll(server);
    const device = { id: direct.id, hospitalId: direct.hospitalId };
    const context = { device, shapes: await loadTableShapes(pool), now: () => NOW, log };
    const [taken, refused] = await pushMutations(pool, context, [
      mutation({ table: 'vitals', op: 'insert', id: randomUUID(), data: vitalsRow() }),
      mutation({
        table: 'vitals',
        op: 'insert',
        id: randomUUID(),
        data: vitalsRow(0, { patientId: randomUUID(), notes: 'Patient-specific note' }),
      }),
    ]);
    expect([taken?.status, refused?.status]).toEqual(['applied', 'rejected']);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.fields).toMatchObject({
      code: '23503',
      table: 'vitals',
      deviceId: direct.id,
      mutations: 2,
    });
    expect(JSON.stringify(lines)).not.toMatch(/Patient-specific|Key \(|detail/i);

    lines.length = 0;
    await pushMutations(pool, context, [
      mutation({ table: 'vitals', op: 'insert', id: randomUUID(), data: vitalsRow() }),
    ]);
    expect(lines).toEqual([]);
  });

  test('updates a row the server holds at version 0 (imported) rather than inserting it again', async () => {
    const patient = demoRow('patients', 4);
    await query('update patients set version = 0 where id = $1', [patient.id]);
    expect(
      await pushOne(
        server,
        ward,
        mutation({
          table: 'patients',
          op: 'update',
          id: patient.id,
          baseVersion: 0,
          data: { phone: '+44 7700 900300' },
        }),
      ),
    ).toMatchObject({ status: 'applied', version: 1 });
    expect(await query('select phone, version from patients where id = $1', [patient.id])).toEqual([
      { phone: '+44 7700 900300', version: 1 },
    ]);
  });
});

/**
 * A ward's and a reception desk's day through the real app router on a real SQLite file:
 * every workflow, every refusal, and proof that a refused write leaves nothing behind.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { TRPCError } from '@trpc/server';
import {
  beds,
  mrnPool,
  outbox,
  patients,
  prescriptions,
  visits,
  vitals,
} from '../../../db/local/schema';
import { demoUserId } from '../../../db/seed/demo-data';
import { stableId } from '../../../shared/reference-data';
import { createTestWorkstation, START, writeTrail, type TestWorkstation } from './support';

const wardA = stableId('ward', 'NGH/MED-A');
const wardB = stableId('ward', 'NGH/SURG-B');
const bed = (number: string) => stableId('bed', `NGH/${number}`);
const visit1 = stableId('visit', 'NGH/1');
const visit2 = stableId('visit', 'NGH/2');
const patient1 = stableId('patient', 'NGH/1');
const amoxicillin = stableId('prescription', `${visit2}/amoxicillin`);
const cbc = stableId('lab_test', `${visit1}/CBC`);
const doctorId = demoUserId('doctor@hass.example');

async function refusal(
  promise: Promise<unknown>,
): Promise<{ code: string; message: string; trpc: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) {
      const cause = error.cause as { code?: string } | undefined;
      // Router input validation fails before any service runs: its cause is the ZodError.
      const code = cause?.code ?? (error.code === 'BAD_REQUEST' ? 'invalid_input' : error.code);
      return { code, message: error.message, trpc: error.code };
    }
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Runs a write that must be refused and checks it left no row, outbox entry or audit event. */
async function expectRefusedWithoutTrace(
  ws: TestWorkstation,
  write: () => Promise<unknown>,
  code: string,
) {
  const before = writeTrail(ws);
  const rowsBefore = ws.replica.db.select({ n: count() }).from(visits).get()?.n;
  const refused = await refusal(write());
  expect(refused.code).toBe(code);
  expect(writeTrail(ws)).toEqual(before);
  expect(ws.replica.db.select({ n: count() }).from(visits).get()?.n).toBe(rowsBefore);
  return refused;
}

describe('a day on the ward', () => {
  let ws: TestWorkstation;
  beforeEach(() => {
    ws = createTestWorkstation();
  });
  afterEach(() => {
    ws.close();
  });

  it('reception registers a patient with a reserved MRN, finds them by name, MRN and birth date, and refuses when the pool is empty', async () => {
    ws.signInAs('reception');
    const registered = await ws.caller.patients.register({
      firstName: 'Ivy',
      lastName: 'Okonkwo',
      dateOfBirth: '1990-04-01',
      sex: 'female',
      allergies: [{ substance: 'Peanuts', severity: 'severe' }],
    });
    expect(registered.mrn).toBe('NGH-T00001');
    const [insert] = ws.replica.db
      .select()
      .from(outbox)
      .where(eq(outbox.rowId, registered.id))
      .all();
    expect(insert).toMatchObject({ tableName: 'patients', op: 'insert', baseVersion: null });
    expect(insert?.data).toMatchObject({ mrn: 'NGH-T00001', firstName: 'Ivy' });

    expect((await ws.caller.patients.search({ query: 'okon' })).map((p) => p.id)).toEqual([
      registered.id,
    ]);
    expect((await ws.caller.patients.search({ query: 'ivy okonkwo' })).map((p) => p.id)).toEqual([
      registered.id,
    ]);
    expect((await ws.caller.patients.search({ query: 'ngh-t00001' })).map((p) => p.id)).toEqual([
      registered.id,
    ]);
    expect((await ws.caller.patients.search({ query: '1990-04-01' })).map((p) => p.id)).toEqual([
      registered.id,
    ]);
    const hughes = await ws.caller.patients.search({ query: 'Hughes' });
    expect(hughes[0]?.activeVisit?.bedNumber).toBe('A-01');

    ws.replica.db.update(mrnPool).set({ usedAt: START.toISOString() }).run();
    const refused = await expectRefusedWithoutTrace(
      ws,
      () =>
        ws.caller.patients.register({
          firstName: 'No',
          lastName: 'Number',
          dateOfBirth: '1980-01-01',
          sex: 'male',
        }),
      'mrn_pool_empty',
    );
    expect(refused.message).toMatch(/No medical record numbers are left/);
    const invalid = await refusal(
      ws.caller.patients.register({
        firstName: '',
        lastName: 'X',
        dateOfBirth: '2999-01-01',
        sex: 'male',
      }),
    );
    expect(invalid.trpc).toBe('BAD_REQUEST');
    expect(invalid.message).toMatch(/firstName/);
  });

  it('admits into a free bed, refuses a taken or closed bed, transfers and discharges once', async () => {
    ws.signInAs('reception');
    const patient = await ws.caller.patients.register({
      firstName: 'Omar',
      lastName: 'Haddad',
      dateOfBirth: '1955-02-02',
      sex: 'male',
    });
    const taken = await expectRefusedWithoutTrace(
      ws,
      () => ws.caller.visits.admit({ patientId: patient.id, wardId: wardA, bedId: bed('A-01') }),
      'bed_unavailable',
    );
    expect(taken.message).toBe('Bed A-01 is already occupied by another patient.');
    await expectRefusedWithoutTrace(
      ws,
      () => ws.caller.visits.admit({ patientId: patient.id, wardId: wardB, bedId: bed('B-08') }),
      'bed_unavailable',
    );
    await expectRefusedWithoutTrace(
      ws,
      () => ws.caller.visits.admit({ patientId: patient.id, wardId: wardB, bedId: bed('A-05') }),
      'bed_not_in_ward',
    );

    const visit = await ws.caller.visits.admit({
      patientId: patient.id,
      wardId: wardA,
      bedId: bed('A-05'),
      attendingDoctorId: doctorId,
    });
    expect(visit.status).toBe('admitted');
    expect(
      ws.replica.db
        .select()
        .from(beds)
        .where(eq(beds.id, bed('A-05')))
        .get()?.status,
    ).toBe('occupied');
    await expectRefusedWithoutTrace(
      ws,
      () => ws.caller.visits.admit({ patientId: patient.id, wardId: wardA, bedId: bed('A-06') }),
      'already_admitted',
    );

    ws.signInAs('nurse');
    await ws.caller.visits.transfer({ visitId: visit.id, wardId: wardB, bedId: bed('B-03') });
    expect(
      ws.replica.db
        .select()
        .from(beds)
        .where(eq(beds.id, bed('A-05')))
        .get()?.status,
    ).toBe('available');
    expect(
      ws.replica.db
        .select()
        .from(beds)
        .where(eq(beds.id, bed('B-03')))
        .get()?.status,
    ).toBe('occupied');
    const moved = ws.replica.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.rowId, visit.id), eq(outbox.op, 'update')))
      .get();
    expect(moved?.data).toEqual({ wardId: wardB, bedId: bed('B-03') });
    expect(moved?.baseVersion).toBe(0);
    await expectRefusedWithoutTrace(
      ws,
      () => ws.caller.visits.transfer({ visitId: visit.id, wardId: wardA, bedId: bed('A-02') }),
      'bed_unavailable',
    );

    ws.signInAs('doctor');
    const order = await ws.caller.prescriptions.create({
      visitId: visit.id,
      drug: 'Paracetamol',
      dose: '1 g',
      frequency: 'QDS',
      route: 'oral',
    });
    const draft = await ws.caller.dischargeSummary.draft({ visitId: visit.id });
    await ws.caller.visits.discharge({
      visitId: visit.id,
      summaryDraftId: draft.id,
      summary: 'Recovered; GP follow-up in 2 weeks.',
    });
    const ended = ws.replica.db
      .select()
      .from(prescriptions)
      .where(eq(prescriptions.id, order.id))
      .get();
    expect(ended).toMatchObject({ status: 'completed', endsAt: ws.clock.now().toISOString() });
    const orderMutations = ws.replica.db
      .select({ op: outbox.op })
      .from(outbox)
      .where(eq(outbox.rowId, order.id))
      .all();
    expect(orderMutations.map((mutation) => mutation.op)).toEqual(['insert', 'update']);
    expect(
      ws.replica.db
        .select()
        .from(beds)
        .where(eq(beds.id, bed('B-03')))
        .get()?.status,
    ).toBe('available');
    const again = await expectRefusedWithoutTrace(
      ws,
      () =>
        ws.caller.visits.discharge({
          visitId: visit.id,
          summaryDraftId: draft.id,
          summary: 'Again',
        }),
      'invalid_transition',
    );
    expect(again.message).toMatch(/already discharged/);
  });

  it('records vitals with BMI and abnormal flags, writes a handoff, and corrects entries as entered in error', async () => {
    ws.signInAs('nurse');
    const entry = await ws.caller.vitals.record({
      visitId: visit1,
      temperatureC: 38.9,
      heartRate: 118,
      spo2: 97,
      weightKg: 80,
      heightCm: 180,
    });
    expect(entry.bmi).toBe(24.7);
    expect(entry.abnormal).toEqual([
      { sign: 'temperatureC', direction: 'high' },
      { sign: 'heartRate', direction: 'high' },
    ]);
    expect(writeTrail(ws).outbox).toBeGreaterThan(0);
    await expectRefusedWithoutTrace(
      ws,
      () => ws.caller.vitals.record({ visitId: visit1 }),
      'no_readings',
    );
    await expectRefusedWithoutTrace(
      ws,
      () => ws.caller.vitals.record({ visitId: visit1, temperatureC: 375 }),
      'invalid_input',
    );

    const fixed = await ws.caller.vitals.correct({
      enteredInErrorId: entry.id,
      temperatureC: 37.9,
      heartRate: 88,
    });
    expect(fixed.enteredInErrorId).toBe(entry.id);
    expect(
      ws.replica.db.select().from(vitals).where(eq(vitals.id, entry.id)).get()?.temperatureC,
    ).toBe(38.9);
    await expectRefusedWithoutTrace(
      ws,
      () => ws.caller.vitals.correct({ enteredInErrorId: entry.id, heartRate: 80 }),
      'already_corrected',
    );

    for (const kind of ['observation', 'care_activity', 'incident', 'note', 'handoff'] as const) {
      await ws.caller.nurseLogs.write({
        visitId: visit1,
        kind,
        body: `${kind}: settled overnight`,
      });
    }
    const chart = await ws.caller.chart.open({ patientId: patient1 });
    expect(chart.nurseLogs.map((log) => log.kind)).toContain('handoff');
    const original = chart.vitals.find((v) => v.id === entry.id);
    expect(original?.enteredInErrorBy).toBe(fixed.id);
    const log = chart.nurseLogs[0];
    if (!log) throw new Error('no log');
    const corrected = await ws.caller.nurseLogs.correct({
      enteredInErrorId: log.id,
      body: 'Correct patient this time',
    });
    expect(corrected.kind).toBe(log.kind);

    const board = await ws.caller.wardBoard.get({ wardId: wardA });
    const bedOne = board.beds.find((b) => b.number === 'A-01');
    expect(bedOne?.occupant?.latestVitals?.id).toBe(fixed.id);
  });

  it('charts doses given, held and refused, and refuses a second administration of the same dose', async () => {
    ws.signInAs('nurse');
    const scheduledFor = '2026-11-23T08:00:00.000Z';
    await ws.caller.mar.record({ prescriptionId: amoxicillin, scheduledFor, status: 'given' });
    const twice = await expectRefusedWithoutTrace(
      ws,
      () => ws.caller.mar.record({ prescriptionId: amoxicillin, scheduledFor, status: 'given' }),
      'already_given',
    );
    expect(twice.message).toMatch(/already given by Nina Patel/);
    await ws.caller.mar.record({
      prescriptionId: amoxicillin,
      scheduledFor: '2026-11-23T16:00:00.000Z',
      status: 'held',
      reason: 'Nil by mouth',
    });
    await expectRefusedWithoutTrace(
      ws,
      () =>
        ws.caller.mar.record({
          prescriptionId: amoxicillin,
          scheduledFor: '2026-11-24T00:00:00.000Z',
          status: 'refused',
        }),
      'invalid_input',
    );

    ws.signInAs('doctor');
    const prescription = await ws.caller.prescriptions.create({
      visitId: visit1,
      drug: 'Paracetamol',
      dose: '1 g',
      frequency: 'Every 6 hours',
      route: 'oral',
    });
    await ws.caller.prescriptions.discontinue({
      prescriptionId: prescription.id,
      reason: 'Fever settled',
    });
    ws.signInAs('nurse');
    await expectRefusedWithoutTrace(
      ws,
      () =>
        ws.caller.mar.record({ prescriptionId: prescription.id, scheduledFor, status: 'given' }),
      'prescription_not_active',
    );
  });

  it('moves a lab order through its workflow and refuses an invalid transition', async () => {
    ws.signInAs('lab_tech');
    await expectRefusedWithoutTrace(
      ws,
      () => ws.caller.labTests.complete({ labTestId: cbc, result: 'Hb 120' }),
      'invalid_transition',
    );
    await ws.caller.labTests.accept({ labTestId: cbc });
    await ws.caller.labTests.start({ labTestId: cbc });
    const done = await ws.caller.labTests.complete({
      labTestId: cbc,
      result: 'Hb 121 g/L, WCC 14.2',
    });
    expect(done.status).toBe('completed');
    const backwards = await expectRefusedWithoutTrace(
      ws,
      () => ws.caller.labTests.cancel({ labTestId: cbc, reason: 'late' }),
      'invalid_transition',
    );
    expect(backwards.message).toMatch(/Complete blood count is completed/);
    ws.signInAs('nurse');
    const ordered = await ws.caller.labTests.order({
      visitId: visit1,
      testCode: 'CRP',
      testName: 'C-reactive protein',
      urgency: 'urgent',
    });
    expect(ordered.status).toBe('pending');
  });

  it('books appointments and refuses a double booking of the same doctor', async () => {
    ws.signInAs('reception');
    const at = '2026-11-25T09:00:00.000Z';
    const first = await ws.caller.appointments.book({
      patientId: patient1,
      doctorId,
      scheduledAt: at,
      durationMinutes: 30,
    });
    const clash = await expectRefusedWithoutTrace(
      ws,
      () =>
        ws.caller.appointments.book({
          patientId: stableId('patient', 'NGH/2'),
          doctorId,
          scheduledAt: '2026-11-25T09:15:00.000Z',
          durationMinutes: 15,
        }),
      'double_booking',
    );
    expect(clash.message).toMatch(/Dr Dana Okafor already has an appointment at 09:00/);
    await ws.caller.appointments.book({
      patientId: stableId('patient', 'NGH/2'),
      doctorId,
      scheduledAt: '2026-11-25T09:30:00.000Z',
    });
    await ws.caller.appointments.cancel({ appointmentId: first.id, reason: 'Patient called' });
    await ws.caller.appointments.book({
      patientId: stableId('patient', 'NGH/3'),
      doctorId,
      scheduledAt: '2026-11-25T09:10:00.000Z',
      durationMinutes: 15,
    });
    const list = await ws.caller.appointments.list({
      from: '2026-11-25T00:00:00.000Z',
      to: '2026-11-26T00:00:00.000Z',
    });
    expect(list.map((a) => a.status)).toEqual(['cancelled', 'scheduled', 'scheduled']);
  });

  it('records stock movements with low-stock and expiry warnings and refuses going below zero', async () => {
    ws.signInAs('pharmacist');
    const items = await ws.caller.inventory.list();
    const saline = items.find((item) => item.sku === 'MED-NACL-1L');
    const insulin = items.find((item) => item.sku === 'MED-INS-GLA');
    expect(saline?.warnings.map((w) => w.code)).toEqual(['low_stock']);
    expect(insulin?.warnings.map((w) => w.code)).toEqual(['expiring']);
    if (!saline) throw new Error('no saline');
    expect(saline.quantity).toBe(8);
    const restocked = await ws.caller.inventory.record({
      itemId: saline.id,
      kind: 'received',
      quantity: 40,
      reason: 'Delivery',
    });
    expect(restocked.item.quantity).toBe(48);
    expect(restocked.movement.quantity).toBe(40);
    expect(restocked.warnings).toEqual([]);
    const dispensed = await ws.caller.inventory.record({
      itemId: saline.id,
      kind: 'dispensed',
      quantity: 3,
      reason: 'Ward A',
    });
    expect(dispensed.movement.quantity).toBe(-3);
    expect((await ws.caller.inventory.list()).find((i) => i.id === saline.id)?.quantity).toBe(45);
    const history = await ws.caller.inventory.movements({ itemId: saline.id });
    expect(history.map((m) => [m.kind, m.quantity])).toEqual([
      ['dispensed', -3],
      ['received', 40],
      ['received', 8],
    ]);
    await expectRefusedWithoutTrace(
      ws,
      () =>
        ws.caller.inventory.record({
          itemId: saline.id,
          kind: 'dispensed',
          quantity: 46,
          reason: 'Used',
        }),
      'insufficient_stock',
    );
    await expect(
      ws.caller.inventory.record({ itemId: saline.id, kind: 'expired', quantity: -2, reason: 'x' }),
    ).rejects.toThrow(/positive/);
    expect(ws.replica.db.select({ n: count() }).from(patients).get()?.n).toBe(6);
  });
});

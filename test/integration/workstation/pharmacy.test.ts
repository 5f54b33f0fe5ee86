/**
 * The pharmacist's round through the real app router on a real SQLite replica: the hospital's
 * active prescriptions by ward and bed, the last dose charted against each, allergy hints,
 * filters, discontinuing from the list, and nothing of another hospital.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { auditLogs, outbox } from '../../../db/local/schema';
import { demoUserId } from '../../../db/seed/demo-data';
import { ACTIVE_PRESCRIPTIONS_LIMIT } from '../../../main/services/pharmacy';
import { stableId } from '../../../shared/reference-data';
import { createTestWorkstation, START, writeTrail, type TestWorkstation } from './support';

const wardB = stableId('ward', 'NGH/SURG-B');
const visit = (n: number) => stableId('visit', `NGH/${String(n)}`);
const patient = (n: number) => stableId('patient', `NGH/${String(n)}`);
const amoxicillin = stableId('prescription', `${visit(2)}/amoxicillin`);

async function refusedWith(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe("the pharmacist's list of active prescriptions", () => {
  let ws: TestWorkstation;
  beforeEach(() => {
    ws = createTestWorkstation();
  });
  afterEach(() => {
    ws.close();
  });

  const list = (input?: { wardId?: string; search?: string }) =>
    ws.caller.prescriptions.listActive(input).then((result) => result.prescriptions);

  /** The doctor prescribes paracetamol for Mrs Hughes and ibuprofen for Mr Osei (B-02, allergic to it). */
  async function prescribeRound() {
    ws.signInAs('doctor');
    const paracetamol = await ws.caller.prescriptions.create({
      visitId: visit(1),
      drug: 'Paracetamol',
      dose: '1 g',
      frequency: 'Four times daily',
      route: 'oral',
    });
    const ibuprofen = await ws.caller.prescriptions.create({
      visitId: visit(6),
      drug: 'Ibuprofen 400 mg tablets',
      dose: '400 mg',
      frequency: 'Three times daily',
      route: 'oral',
    });
    return { paracetamol, ibuprofen };
  }

  it("lists the demo's active prescription with the patient, bed, prescriber and no dose charted yet", async () => {
    ws.signInAs('pharmacist');
    const [only, ...rest] = await list();
    expect(rest).toEqual([]);
    expect(only).toMatchObject({
      id: amoxicillin,
      drug: 'Amoxicillin',
      dose: '500 mg',
      route: 'oral',
      frequency: 'Three times daily',
      patient: { id: patient(2), mrn: 'NGH-000002', lastName: 'Kowalski', allergies: [] },
      stay: {
        visitId: visit(2),
        status: 'admitted',
        wardName: 'Medical Ward A',
        bedNumber: 'A-02',
      },
      prescriberName: 'Dr Dana Okafor',
      lastDose: null,
      allergyClashes: [],
    });
  });

  it('sorts by ward and bed, shows the last dose charted (a dose entered in error does not count) and marks an allergy clash', async () => {
    const { paracetamol } = await prescribeRound();
    // Signed in again after each wait: an idle workstation locks itself.
    ws.clock.advance(2 * 3_600_000);
    ws.signInAs('nurse');
    await ws.caller.mar.record({
      prescriptionId: paracetamol.id,
      scheduledFor: '2026-11-23T10:00:00.000Z',
      status: 'given',
    });
    ws.clock.advance(2 * 3_600_000);
    ws.signInAs('nurse');
    const held = await ws.caller.mar.record({
      prescriptionId: paracetamol.id,
      scheduledFor: '2026-11-23T12:00:00.000Z',
      status: 'held',
      reason: 'Nil by mouth before theatre',
    });

    ws.signInAs('pharmacist');
    const rows = await list();
    expect(rows.map((row) => [row.stay?.wardName, row.stay?.bedNumber, row.drug])).toEqual([
      ['Medical Ward A', 'A-01', 'Paracetamol'],
      ['Medical Ward A', 'A-02', 'Amoxicillin'],
      ['Surgical Ward B', 'B-02', 'Ibuprofen 400 mg tablets'],
    ]);
    expect(rows[0]?.lastDose).toEqual({
      administeredAt: '2026-11-23T12:00:00.000Z',
      scheduledFor: '2026-11-23T12:00:00.000Z',
      status: 'held',
    });
    expect(rows[0]?.allergyClashes).toEqual([]);
    expect(rows[0]?.patient.allergies).toEqual([
      { substance: 'Penicillin', reaction: 'Rash', severity: 'moderate' },
    ]);
    expect(rows[2]?.allergyClashes).toEqual(['Ibuprofen']);

    // The held dose was charted in error: its correction (given) is now the last dose.
    ws.signInAs('nurse');
    await ws.caller.mar.correct({ enteredInErrorId: held.id, status: 'given' });
    ws.signInAs('pharmacist');
    expect((await list())[0]?.lastDose).toMatchObject({
      scheduledFor: '2026-11-23T12:00:00.000Z',
      status: 'given',
    });
  });

  it('filters by ward and by drug, name (either order) or MRN text', async () => {
    await prescribeRound();
    ws.signInAs('pharmacist');
    const drugs = async (input: { wardId?: string; search?: string }) =>
      (await list(input)).map((row) => row.drug);
    expect(await drugs({ wardId: wardB })).toEqual(['Ibuprofen 400 mg tablets']);
    expect(await drugs({ search: 'AMOX' })).toEqual(['Amoxicillin']);
    expect(await drugs({ search: 'osei' })).toEqual(['Ibuprofen 400 mg tablets']);
    expect(await drugs({ search: 'hughes, margaret' })).toEqual(['Paracetamol']);
    expect(await drugs({ search: 'Margaret Hughes' })).toEqual(['Paracetamol']);
    expect(await drugs({ search: 'ngh-000002' })).toEqual(['Amoxicillin']);
    expect(await drugs({ search: '  ' })).toHaveLength(3);
    expect(await drugs({ wardId: wardB, search: 'amox' })).toEqual([]);
    expect(await refusedWith(ws.caller.prescriptions.listActive({ wardId: 'not-a-ward' }))).toBe(
      'BAD_REQUEST',
    );
  });

  it('a pharmacist discontinues from the list with a reason: it leaves the list, reaches the outbox and is audited', async () => {
    await prescribeRound();
    ws.signInAs('pharmacist');
    ws.clock.advance(60_000);
    await ws.caller.prescriptions.discontinue({
      prescriptionId: amoxicillin,
      reason: 'Course changed to doxycycline',
    });
    expect((await list()).map((row) => row.drug)).toEqual([
      'Paracetamol',
      'Ibuprofen 400 mg tablets',
    ]);
    const [mutation] = ws.replica.db
      .select()
      .from(outbox)
      .where(eq(outbox.rowId, amoxicillin))
      .all();
    expect(mutation).toMatchObject({
      tableName: 'prescriptions',
      op: 'update',
      userId: demoUserId('pharmacist@hass.example'),
    });
    expect(mutation?.data).toMatchObject({
      status: 'discontinued',
      notes: 'Course changed to doxycycline',
    });
    const audited = ws.replica.db
      .select()
      .from(auditLogs)
      .where(
        and(eq(auditLogs.action, 'prescription.discontinue'), eq(auditLogs.entityId, amoxicillin)),
      )
      .all();
    expect(audited).toHaveLength(1);

    // The nurse reads the same list but may not discontinue; the lab never sees it.
    ws.signInAs('nurse');
    expect(await list()).toHaveLength(2);
    const before = writeTrail(ws);
    const [first] = await list();
    expect(
      await refusedWith(
        ws.caller.prescriptions.discontinue({ prescriptionId: first?.id ?? '', reason: 'x' }),
      ),
    ).toBe('FORBIDDEN');
    expect(writeTrail(ws)).toEqual(before);
    ws.signInAs('lab_tech');
    expect(await refusedWith(ws.caller.prescriptions.listActive())).toBe('FORBIDDEN');
  });

  it("never shows another hospital's prescriptions held in the same replica", async () => {
    const sqlite = ws.replica.db.$client;
    const other = stableId('hospital', 'SGH');
    const otherWard = stableId('ward', 'SGH/W1');
    const otherVisit = stableId('visit', 'SGH/1');
    sqlite
      .prepare(
        "insert into hospitals (id, hospital_id, code, name, region_id) values (?, ?, 'SGH', 'South General', ?)",
      )
      .run(other, other, stableId('region', 'NORTH'));
    sqlite
      .prepare(
        "insert into wards (id, hospital_id, code, name, floor) values (?, ?, 'W1', 'Amoxicillin Ward', 1)",
      )
      .run(otherWard, other);
    sqlite
      .prepare(
        "insert into patients (id, hospital_id, mrn, first_name, last_name, date_of_birth, sex, allergies) values (?, ?, 'SGH-000001', 'Margaret', 'Hughes', '1950-01-01', 'female', '[]')",
      )
      .run(stableId('patient', 'SGH/1'), other);
    sqlite
      .prepare(
        "insert into visits (id, hospital_id, patient_id, ward_id, status, admitted_at) values (?, ?, ?, ?, 'admitted', ?)",
      )
      .run(otherVisit, other, stableId('patient', 'SGH/1'), otherWard, START.toISOString());
    sqlite
      .prepare(
        "insert into prescriptions (id, hospital_id, visit_id, patient_id, drug, dose, frequency, route, starts_at, status, prescribed_by) values (?, ?, ?, ?, 'Amoxicillin', '1 g', 'Twice daily', 'oral', ?, 'active', ?)",
      )
      .run(
        stableId('prescription', 'SGH/1'),
        other,
        otherVisit,
        stableId('patient', 'SGH/1'),
        START.toISOString(),
        demoUserId('doctor@hass.example'),
      );

    ws.signInAs('pharmacist');
    expect((await list()).map((row) => row.id)).toEqual([amoxicillin]);
    expect((await list({ search: 'amoxicillin' })).map((row) => row.id)).toEqual([amoxicillin]);
    expect((await list({ search: 'hughes' })).map((row) => row.id)).toEqual([]);
    expect(await list({ wardId: otherWard })).toEqual([]);
  });

  it(`stops at ${String(ACTIVE_PRESCRIPTIONS_LIMIT)} rows and says so`, async () => {
    const insert = ws.replica.db.$client.prepare(
      "insert into prescriptions (id, hospital_id, visit_id, patient_id, drug, dose, frequency, route, starts_at, status, prescribed_by) select ?, hospital_id, id, patient_id, ?, '1 mg', 'Daily', 'oral', admitted_at, 'active', ? from visits where id = ?",
    );
    ws.replica.db.$client.transaction(() => {
      for (let n = 0; n < ACTIVE_PRESCRIPTIONS_LIMIT; n += 1) {
        insert.run(
          stableId('prescription', `bulk/${String(n)}`),
          `Drug ${String(n).padStart(3, '0')}`,
          demoUserId('doctor@hass.example'),
          visit(1),
        );
      }
    })();
    ws.signInAs('pharmacist');
    const all = await ws.caller.prescriptions.listActive();
    expect(all.prescriptions).toHaveLength(ACTIVE_PRESCRIPTIONS_LIMIT);
    expect(all.truncated).toBe(true);
    const narrowed = await ws.caller.prescriptions.listActive({ search: 'drug 00' });
    expect(narrowed.prescriptions).toHaveLength(10);
    expect(narrowed.truncated).toBe(false);
  });
});

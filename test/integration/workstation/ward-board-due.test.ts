/**
 * The ward board's meds due and pending labs through the real router on a real SQLite replica,
 * with the workstation clock frozen at 08:00 on a ward whose clock reads UTC. The demo stay in
 * bed A-02 has amoxicillin TDS (08:00, 14:00, 22:00) since yesterday; bed A-01 has an urgent
 * blood count waiting.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stableId } from '../../../shared/reference-data';
import { createTestWorkstation, START, type TestWorkstation } from './support';

const wardA = stableId('ward', 'NGH/MED-A');
const visit1 = stableId('visit', 'NGH/1');
const visit2 = stableId('visit', 'NGH/2');
const amoxicillin = stableId('prescription', `${visit2}/amoxicillin`);
const cbc = stableId('lab_test', `${visit1}/CBC`);
const MIN = 60_000;

const zone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'UTC';
});
afterAll(() => {
  process.env.TZ = zone;
});

describe('meds due and labs pending on the ward board', () => {
  let ws: TestWorkstation;
  // Moving the clock idles the session into the lock screen: each move signs the nurse in again.
  beforeEach(() => {
    ws = createTestWorkstation();
    ws.signInAs('nurse');
  });
  afterEach(() => {
    ws.close();
  });

  async function occupant(bedNumber: string) {
    const board = await ws.caller.wardBoard.get({ wardId: wardA });
    const bed = board.beds.find((b) => b.number === bedNumber);
    if (!bed?.occupant) throw new Error(`bed ${bedNumber} is empty`);
    return bed.occupant;
  }

  async function prescribe(frequency: string, drug = 'Paracetamol') {
    ws.signInAs('doctor');
    const prescription = await ws.caller.prescriptions.create({
      visitId: visit2,
      drug,
      dose: '1 g',
      frequency,
      route: 'oral',
      startsAt: new Date(START.getTime() - 24 * 60 * MIN).toISOString(),
    });
    ws.signInAs('nurse');
    return prescription;
  }

  it('shows the 08:00 dose due, overdue after 08:30, gone once charted, and owed again when that charting is moved to another time', async () => {
    expect((await occupant('A-02')).medsDue).toEqual({
      count: 1,
      overdue: 0,
      unscheduled: 0,
      next: [
        {
          prescriptionId: amoxicillin,
          drug: 'Amoxicillin',
          dose: '500 mg',
          route: 'oral',
          scheduledFor: '2026-11-23T08:00:00.000Z',
        },
      ],
    });
    for (const other of ['A-01', 'A-03', 'A-04'])
      expect((await occupant(other)).medsDue.count).toBe(0);

    ws.clock.advance(31 * MIN);
    ws.signInAs('nurse');
    expect((await occupant('A-02')).medsDue).toMatchObject({ count: 1, overdue: 1 });

    const given = await ws.caller.mar.record({
      prescriptionId: amoxicillin,
      scheduledFor: '2026-11-23T08:00:00.000Z',
      status: 'given',
    });
    expect((await occupant('A-02')).medsDue.count).toBe(0);

    // Charted against the wrong round: it was last night's 22:00 dose. 08:00 is owed again.
    await ws.caller.mar.correct({
      enteredInErrorId: given.id,
      status: 'given',
      scheduledFor: '2026-11-22T22:00:00.000Z',
    });
    expect((await occupant('A-02')).medsDue).toMatchObject({ count: 1, overdue: 1 });
  });

  it('counts a held or refused dose as answered, also once corrected at the same time, and leaves the window after two hours', async () => {
    const held = await ws.caller.mar.record({
      prescriptionId: amoxicillin,
      scheduledFor: '2026-11-23T08:00:00.000Z',
      status: 'held',
      reason: 'Nil by mouth for theatre',
    });
    expect((await occupant('A-02')).medsDue.count).toBe(0);
    // Corrected at the same due time (held → refused): the replacement still answers the dose.
    await ws.caller.mar.correct({
      enteredInErrorId: held.id,
      status: 'refused',
      reason: 'Patient declined',
    });
    expect((await occupant('A-02')).medsDue.count).toBe(0);

    const fresh = createTestWorkstation();
    try {
      fresh.signInAs('nurse');
      fresh.clock.advance(2 * 60 * MIN + 1);
      fresh.signInAs('nurse');
      const board = await fresh.caller.wardBoard.get({ wardId: wardA });
      expect(board.beds.find((b) => b.number === 'A-02')?.occupant?.medsDue.count).toBe(0);
    } finally {
      fresh.close();
    }
  });

  it('shows a dose due within the next hour, but not one further ahead', async () => {
    ws.clock.set(new Date('2026-11-23T13:00:00.000Z'));
    ws.signInAs('nurse');
    await ws.caller.mar.record({
      prescriptionId: amoxicillin,
      scheduledFor: '2026-11-23T08:00:00.000Z',
      status: 'given',
    });
    expect((await occupant('A-02')).medsDue).toMatchObject({
      count: 1,
      overdue: 0,
      next: [{ scheduledFor: '2026-11-23T14:00:00.000Z' }],
    });
    ws.clock.set(new Date('2026-11-23T12:59:00.000Z'));
    ws.signInAs('nurse');
    expect((await occupant('A-02')).medsDue.count).toBe(0);
  });

  it('never shows a discontinued prescription, a PRN one or one whose frequency it cannot read as due', async () => {
    const bd = await prescribe('BD', 'Enoxaparin');
    expect((await occupant('A-02')).medsDue.count).toBe(2);

    ws.signInAs('doctor');
    await ws.caller.prescriptions.discontinue({ prescriptionId: bd.id, reason: 'Mobilising' });
    ws.signInAs('nurse');
    expect((await occupant('A-02')).medsDue.count).toBe(1);

    await prescribe('PRN');
    await prescribe('4 hourly PRN');
    expect((await occupant('A-02')).medsDue).toMatchObject({ count: 1, unscheduled: 0 });

    await prescribe('with meals', 'Creon');
    expect((await occupant('A-02')).medsDue).toMatchObject({ count: 1, unscheduled: 1 });
  });

  it('lists the earliest doses first across prescriptions', async () => {
    await prescribe('q1h', 'Salbutamol neb');
    ws.clock.advance(45 * MIN);
    ws.signInAs('nurse');
    const due = (await occupant('A-02')).medsDue;
    // Window 06:45–09:45: hourly at 07:00, 08:00, 09:00 and TDS at 08:00; the three before 08:15 overdue.
    expect(due).toMatchObject({ count: 4, overdue: 3 });
    expect(due.next.map((d) => `${d.scheduledFor.slice(11, 16)} ${d.drug}`)).toEqual([
      '07:00 Salbutamol neb',
      '08:00 Amoxicillin',
      '08:00 Salbutamol neb',
    ]);
  });

  it("gives the chart the stay's scheduled doses of the last day and the next hours, each with its state, in chart.open", async () => {
    ws.clock.set(new Date('2026-11-23T14:40:00.000Z'));
    ws.signInAs('nurse');
    await ws.caller.mar.record({
      prescriptionId: amoxicillin,
      scheduledFor: '2026-11-23T08:00:00.000Z',
      status: 'refused',
      reason: 'Nauseous',
    });
    await prescribe('PRN');
    const chart = await ws.caller.chart.open({ patientId: stableId('patient', 'NGH/2') });
    // Prescribed yesterday 12:00: 14:00 and 22:00 yesterday are older than the board's 2 h window.
    expect(
      chart.scheduledDoses.map((d) => [
        d.scheduledFor.slice(5, 16),
        d.state,
        d.charted?.status ?? null,
      ]),
    ).toEqual([
      ['11-22T22:00', 'missed', null],
      ['11-23T08:00', 'charted', 'refused'],
      ['11-23T14:00', 'overdue', null],
    ]);
    ws.clock.set(new Date('2026-11-23T16:30:00.000Z'));
    ws.signInAs('nurse');
    const later = await ws.caller.chart.open({ patientId: stableId('patient', 'NGH/2') });
    expect(later.scheduledDoses.map((d) => [d.scheduledFor.slice(5, 16), d.state])).toEqual([
      ['11-22T22:00', 'missed'],
      ['11-23T08:00', 'charted'],
      ['11-23T14:00', 'missed'],
      ['11-23T22:00', 'upcoming'],
    ]);
    const other = await ws.caller.chart.open({ patientId: stableId('patient', 'NGH/3') });
    expect(other.scheduledDoses).toEqual([]);
  });

  it('counts labs waiting on the lab, urgent ones apart, and not completed or cancelled ones', async () => {
    expect((await occupant('A-01')).pendingLabs).toEqual({
      count: 1,
      urgent: 1,
      oldestOrderedAt: '2026-11-23T07:00:00.000Z',
    });
    expect((await occupant('A-02')).pendingLabs).toEqual({
      count: 0,
      urgent: 0,
      oldestOrderedAt: null,
    });

    ws.clock.advance(10 * MIN);

    ws.signInAs('nurse');
    const crp = await ws.caller.labTests.order({
      visitId: visit1,
      testCode: 'CRP',
      testName: 'C-reactive protein',
      urgency: 'routine',
    });
    const ue = await ws.caller.labTests.order({
      visitId: visit1,
      testCode: 'UE',
      testName: 'Urea and electrolytes',
      urgency: 'stat',
    });
    expect((await occupant('A-01')).pendingLabs).toMatchObject({ count: 3, urgent: 2 });

    ws.signInAs('lab_tech');
    await ws.caller.labTests.accept({ labTestId: cbc });
    await ws.caller.labTests.accept({ labTestId: ue.id });
    await ws.caller.labTests.start({ labTestId: ue.id });
    ws.signInAs('nurse');
    expect((await occupant('A-01')).pendingLabs).toMatchObject({ count: 3, urgent: 2 });

    ws.signInAs('lab_tech');
    await ws.caller.labTests.start({ labTestId: cbc });
    await ws.caller.labTests.complete({ labTestId: cbc, result: 'Hb 121 g/L' });
    await ws.caller.labTests.cancel({ labTestId: crp.id, reason: 'Sample haemolysed' });
    ws.signInAs('nurse');
    expect((await occupant('A-01')).pendingLabs).toEqual({
      count: 1,
      urgent: 1,
      oldestOrderedAt: '2026-11-23T08:10:00.000Z',
    });
  });
});

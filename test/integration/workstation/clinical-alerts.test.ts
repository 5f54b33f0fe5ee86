/**
 * Clinical alerts through the real app router on a real replica (issue 13): the inbox lists the
 * kinds each role sorts out, in clinical words; the chart's banner and the ward board show every
 * open alert of a patient or bed; acknowledging takes a note and goes through the write path; a
 * notice waits for the person whose change raised it; chart entries not yet sent are marked.
 */
import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditLogs,
  clinicalAlerts,
  outbox,
  pushNotices,
  syncState,
} from '../../../db/local/schema';
import { DEMO_HOSPITAL_ID, demoUserId } from '../../../db/seed/demo-data';
import { stableId } from '../../../shared/reference-data';
import { createTestWorkstation, START, writeTrail, type TestWorkstation } from './support';

const wardA = stableId('ward', 'NGH/MED-A');
const bedA02 = stableId('bed', 'NGH/A-02');
const visit1 = stableId('visit', 'NGH/1');
const visit2 = stableId('visit', 'NGH/2');
const patient1 = stableId('patient', 'NGH/1');
const patient2 = stableId('patient', 'NGH/2');
const nurseId = demoUserId('nurse@hass.example');

let ws: TestWorkstation;
beforeEach(() => {
  ws = createTestWorkstation();
});
afterEach(() => {
  ws.close();
});

/** An alert as pull would bring it from the server. */
function pulledAlert(
  kind: string,
  refs: { visitId: string | null; patientId: string | null },
  details: Record<string, unknown>,
): string {
  const id = crypto.randomUUID();
  ws.replica.db
    .insert(clinicalAlerts)
    .values({
      id,
      hospitalId: DEMO_HOSPITAL_ID,
      version: 1,
      updatedBy: nurseId,
      kind: kind as 'bed_conflict',
      ...refs,
      details: { deviceName: 'Ward B workstation', mutationId: crypto.randomUUID(), ...details },
    })
    .run();
  return id;
}

async function refusalCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    // Router input validation fails before any service runs: its cause is the ZodError.
    const code = (error.cause as { code?: string } | undefined)?.code;
    return code ?? (error.code === 'BAD_REQUEST' ? 'invalid_input' : error.code);
  }
  throw new Error('expected a refusal');
}

describe('the Alerts inbox', () => {
  it('lists, in clinical words, the kinds each role sorts out', async () => {
    pulledAlert(
      'bed_conflict',
      { visitId: visit2, patientId: patient2 },
      { bedId: bedA02, heldByVisitId: visit1 },
    );
    pulledAlert(
      'late_entry_after_discharge',
      { visitId: visit1, patientId: patient1 },
      { table: 'vitals', entryId: crypto.randomUUID(), enteredAt: START.toISOString() },
    );
    ws.signInAs('nurse');
    const nurse = await ws.caller.alerts.inbox();
    expect(nurse.map((alert) => alert.title).sort()).toEqual([
      'Bed clash',
      'Entry after discharge',
    ]);
    const clash = nurse.find((alert) => alert.kind === 'bed_conflict');
    expect(clash).toMatchObject({
      patient: { id: patient2, name: 'KOWALSKI, Tomasz (NGH-000002)' },
      place: 'Medical Ward A, bed A-02',
      urgency: 'act_now',
      raisedBy: 'Nina Patel',
    });
    expect(clash?.summary).toBe(
      'Bed A-02 (Medical Ward A) was given to two patients while workstations were offline. HUGHES, Margaret (NGH-000001) keeps it; the later admission was kept without a bed.',
    );
    expect(clash?.whatToDo).toContain('free bed');
    ws.signInAs('reception');
    expect((await ws.caller.alerts.inbox()).map((alert) => alert.kind)).toEqual(['bed_conflict']);
    ws.signInAs('pharmacist');
    expect(await ws.caller.alerts.inbox()).toEqual([]);
  });

  it('the chart banner and the ward board show every open alert of the patient or bed', async () => {
    pulledAlert(
      'late_entry_after_discharge',
      { visitId: visit1, patientId: patient1 },
      { table: 'nurse_logs', entryId: crypto.randomUUID() },
    );
    pulledAlert(
      'bed_conflict',
      { visitId: null, patientId: null },
      { bedId: bedA02, heldByVisitId: visit2 },
    );
    ws.signInAs('pharmacist');
    expect((await ws.caller.alerts.ofPatient({ patientId: patient1 })).map((a) => a.title)).toEqual(
      ['Entry after discharge'],
    );
    const board = await ws.caller.wardBoard.get({ wardId: wardA });
    const alertsOf = (number: string) =>
      board.beds.find((bed) => bed.number === number)?.alerts.map((alert) => alert.title);
    expect(alertsOf('A-01')).toEqual(['Entry after discharge']);
    expect(alertsOf('A-02')).toEqual(['Bed clash']);
    expect(alertsOf('A-03')).toEqual([]);
  });
});

describe('acknowledging an alert', () => {
  it('takes a note, writes row, outbox mutation and audit event, and clears it', async () => {
    const id = pulledAlert(
      'bed_conflict',
      { visitId: visit2, patientId: patient2 },
      { bedId: bedA02, heldByVisitId: visit1 },
    );
    ws.signInAs('nurse');
    const before = writeTrail(ws);
    await ws.caller.alerts.acknowledge({ id, note: '  Moved Mr Kowalski to A-06.  ' });
    expect(writeTrail(ws)).toEqual({ outbox: before.outbox + 1, audit: before.audit + 1 });
    const row = ws.replica.db.select().from(clinicalAlerts).where(eq(clinicalAlerts.id, id)).get();
    expect(row).toMatchObject({
      acknowledgedBy: nurseId,
      acknowledgedAt: START.toISOString(),
      acknowledgementNote: 'Moved Mr Kowalski to A-06.',
    });
    const mutation = ws.replica.db.select().from(outbox).where(eq(outbox.rowId, id)).get();
    expect(mutation).toMatchObject({
      tableName: 'clinical_alerts',
      op: 'update',
      baseVersion: 1,
      data: {
        acknowledgedBy: nurseId,
        acknowledgedAt: START.toISOString(),
        acknowledgementNote: 'Moved Mr Kowalski to A-06.',
      },
    });
    const audit = ws.replica.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.entityId, id), eq(auditLogs.action, 'clinical_alert.acknowledge')))
      .all();
    expect(audit).toHaveLength(1);
    expect(await ws.caller.alerts.inbox()).toEqual([]);
    expect(
      (await ws.caller.wardBoard.get({ wardId: wardA })).beds.flatMap((b) => b.alerts),
    ).toEqual([]);
  });

  it('twice, or without a note, is refused and leaves no trace', async () => {
    const id = pulledAlert('bed_conflict', { visitId: visit2, patientId: patient2 }, {});
    ws.signInAs('nurse');
    const before = writeTrail(ws);
    expect(await refusalCode(ws.caller.alerts.acknowledge({ id, note: ' ok ' }))).toBe(
      'invalid_input',
    );
    expect(writeTrail(ws)).toEqual(before);
    await ws.caller.alerts.acknowledge({ id, note: 'Seen to.' });
    ws.signInAs('doctor');
    const after = writeTrail(ws);
    expect(await refusalCode(ws.caller.alerts.acknowledge({ id, note: 'Seen to as well.' }))).toBe(
      'already_acknowledged',
    );
    expect(writeTrail(ws)).toEqual(after);
  });
});

describe('a notice for the person whose change raised an alert', () => {
  it('waits for the pull that brings its alert, is told in its words, once', async () => {
    const mutationId = crypto.randomUUID();
    ws.replica.db
      .insert(pushNotices)
      .values({
        id: crypto.randomUUID(),
        mutationId,
        userId: nurseId,
        tableName: 'visits',
        rowId: visit2,
        code: 'bed_unavailable',
        message: 'That bed is held by another admitted patient; the visit was kept without a bed.',
        receivedAt: START.toISOString(),
      })
      .run();
    ws.replica.db
      .update(syncState)
      .set({ lastPullAt: new Date(START.getTime() - 1000).toISOString() })
      .run();
    ws.signInAs('nurse');
    // Neither the alert nor a later pull yet: nothing to tell.
    expect(await ws.caller.sync.notices()).toEqual([]);
    pulledAlert(
      'bed_conflict',
      { visitId: visit2, patientId: patient2 },
      { bedId: bedA02, heldByVisitId: visit1, mutationId },
    );
    const [notice] = await ws.caller.sync.notices();
    expect(notice).toMatchObject({
      title: 'Bed clash',
      urgency: 'act_now',
      text: 'Bed A-02 (Medical Ward A) is already held by HUGHES, Margaret (NGH-000001). Your admission was kept without a bed: choose another bed.',
    });
    ws.signInAs('doctor');
    expect(await ws.caller.sync.notices()).toEqual([]);
    expect(await ws.caller.sync.noticesShown({ ids: [notice?.id ?? ''] })).toEqual({ shown: 0 });
    ws.signInAs('nurse');
    expect(await ws.caller.sync.noticesShown({ ids: [notice?.id ?? ''] })).toEqual({ shown: 1 });
    expect(await ws.caller.sync.notices()).toEqual([]);
  });
});

describe('what has not reached the server yet', () => {
  it('marks chart entries not yet sent, and refused ones, and lists what waits', async () => {
    ws.signInAs('nurse');
    const recorded = await ws.caller.vitals.record({ visitId: visit1, heartRate: 77 });
    const chart = await ws.caller.chart.open({ patientId: patient1 });
    const stateOf = (id: string) => chart.vitals.find((entry) => entry.id === id)?.sendState;
    expect(stateOf(recorded.id)).toBe('pending');
    const others = chart.vitals.filter((entry) => entry.id !== recorded.id);
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((entry) => entry.sendState === null)).toBe(true);
    const waiting = await ws.caller.sync.outbox();
    expect(waiting.total).toBe(1);
    expect(waiting.items[0]).toMatchObject({
      what: 'Vital signs recorded',
      patient: 'HUGHES, Margaret (NGH-000001)',
      place: 'Medical Ward A, bed A-01',
      by: 'Nina Patel',
      waited: 'under a minute',
    });
    ws.replica.db
      .update(outbox)
      .set({ status: 'rejected', reasonCode: 'forbidden', reasonMessage: 'Refused.' })
      .where(eq(outbox.rowId, recorded.id))
      .run();
    const reopened = await ws.caller.chart.open({ patientId: patient1 });
    expect(reopened.vitals.find((entry) => entry.id === recorded.id)?.sendState).toBe('rejected');
    expect((await ws.caller.sync.outbox()).total).toBe(0);
    // While the chart stays open, its marks follow the outbox without reading the chart again.
    const other = others[0]?.id ?? '';
    expect(await ws.caller.sync.sendStates({ rowIds: [recorded.id, other] })).toEqual({
      [recorded.id]: 'rejected',
    });
    ws.replica.db.delete(outbox).where(eq(outbox.rowId, recorded.id)).run();
    expect(await ws.caller.sync.sendStates({ rowIds: [recorded.id] })).toEqual({});
  });
});

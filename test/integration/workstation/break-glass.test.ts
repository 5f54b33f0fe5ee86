/**
 * Issue 15, break-glass on one workstation: a restricted record, or a patient off the nurse's
 * wards when the hospital assigns wards, opens only with a reason and the password again; the
 * access lasts 60 minutes on the workstation's clock (a manual clock here, no waiting); the start
 * and every read under it carry the purpose; a manager signs it off. Refusals are audited.
 */
import { and, asc, eq, ne } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { auditLogs, patients, visits } from '../../../db/local/schema';
import { localBreakGlass } from '../../../main/sync/break-glass-review';
import { BREAK_GLASS_MINUTES } from '../../../shared/break-glass';
import { AuditContextSchema } from '../../../shared/protocol';
import { createTestWorkstation, refusalEvents, type TestWorkstation } from './support';

let ws: TestWorkstation;
beforeEach(() => {
  ws = createTestWorkstation();
});
afterEach(() => {
  ws.close();
});

const events = (action: string) =>
  ws.replica.db
    .select()
    .from(auditLogs)
    .where(eq(auditLogs.action, action))
    .orderBy(asc(auditLogs.deviceSeq))
    .all()
    .map((event) => ({ ...event, context: AuditContextSchema.parse(event.after) }));

/** Time passes at the workstation while the nurse keeps working (the idle lock stays away). */
function workFor(minutes: number) {
  for (let done = 0; done < minutes; done += 1) {
    ws.clock.advance(60_000);
    ws.workstation.sessions.reportActivity();
  }
}

/** Two admitted patients on different wards. */
function twoAdmitted() {
  const stays = ws.replica.db
    .select({ patientId: visits.patientId, wardId: visits.wardId })
    .from(visits)
    .where(eq(visits.status, 'admitted'))
    .all();
  const first = stays[0];
  const other = first && stays.find((stay) => stay.wardId !== first.wardId);
  if (!first || !other) throw new Error('the demo needs admitted patients on two wards');
  return { onMyWard: first, elsewhere: other };
}

async function restrict(patientId: string) {
  ws.signInAs('super_admin');
  await ws.caller.patients.restrict({
    patientId,
    reason: 'public_figure',
    reauthProof: await ws.reauthProof('patients.restrict'),
  });
  ws.workstation.sessions.end('signed_out');
  ws.signInAs('nurse');
}

describe('a restricted record', () => {
  test('opens only by break-glass: refused without a reason or the password, then 60 minutes of audited reads', async () => {
    const patient = ws.replica.db.select().from(patients).where(ne(patients.mrn, '')).get();
    if (!patient) throw new Error('no patient in the demo');
    await restrict(patient.id);

    await expect(ws.caller.chart.open({ patientId: patient.id })).rejects.toMatchObject({
      cause: { code: 'break_glass_required' },
    });
    // No proof, a forged one, a wrong password, no reason: each refused and recorded as refused.
    await expect(
      ws.caller.chart.breakGlass({
        patientId: patient.id,
        reason: 'emergency',
        reauthProof: 'not-a-proof-at-all-000',
      }),
    ).rejects.toMatchObject({ cause: { code: 'reauth_required' } });
    await expect(
      ws.workstation.reauth.confirm(ws.workstation, { action: 'break_glass', password: 'guess' }),
    ).rejects.toMatchObject({ code: 'wrong_password' });
    await expect(
      ws.caller.chart.breakGlass({
        patientId: patient.id,
        reason: 'other',
        reauthProof: await ws.reauthProof('break_glass'),
      }),
    ).rejects.toThrow(/Say why/);
    // A proof for another action does not open the glass.
    await expect(
      ws.caller.chart.breakGlass({
        patientId: patient.id,
        reason: 'emergency',
        reauthProof: await ws.reauthProof('audit.export'),
      }),
    ).rejects.toMatchObject({ cause: { code: 'reauth_required' } });
    expect(events('break_glass.start')).toHaveLength(0);
    expect(refusalEvents(ws).map((event) => [event.action, event.code ?? null])).toEqual([
      ['chart.open', 'break_glass_required'],
      ['chart.breakGlass', 'reauth_required'],
      ['auth.reauth', null],
      ['chart.breakGlass', 'invalid_input'],
      ['chart.breakGlass', 'reauth_required'],
    ]);

    const proof = await ws.reauthProof('break_glass');
    await ws.caller.chart.breakGlass({
      patientId: patient.id,
      reason: 'emergency',
      reauthProof: proof,
    });
    // The proof was for one call.
    await expect(
      ws.caller.chart.breakGlass({
        patientId: patient.id,
        reason: 'emergency',
        reauthProof: proof,
      }),
    ).rejects.toMatchObject({ cause: { code: 'reauth_required' } });

    const chart = await ws.caller.chart.open({ patientId: patient.id });
    expect(chart.breakGlass?.purpose).toBe('break-glass: emergency');
    workFor(BREAK_GLASS_MINUTES - 1);
    await ws.caller.chart.open({ patientId: patient.id });
    workFor(2);
    await expect(ws.caller.chart.open({ patientId: patient.id })).rejects.toMatchObject({
      cause: { code: 'break_glass_required' },
    });

    const [start] = events('break_glass.start');
    expect(start?.context).toMatchObject({
      role: 'nurse',
      outcome: 'done',
      patientId: patient.id,
      purpose: 'break-glass: emergency',
      details: { reason: 'emergency', cause: 'restricted' },
    });
    const reads = events('chart.read');
    expect(reads).toHaveLength(2);
    for (const read of reads)
      expect(read.context).toMatchObject({
        purpose: 'break-glass: emergency',
        details: { breakGlassId: start?.id },
      });

    // The manager's review lists it with its two reads, and records the sign-off.
    ws.workstation.sessions.end('signed_out');
    ws.signInAs('manager');
    const review = await ws.caller.audit.breakGlassReview();
    expect(review.scope).toBe('local');
    expect(review.entries).toEqual([
      expect.objectContaining({ id: start?.id, reads: 2, reviewedAt: null, patientId: patient.id }),
    ]);
    if (!start) throw new Error('no start');
    // Nobody signs off their own break-glass.
    const manager = await ws.caller.auth.session();
    if (manager.state !== 'active') throw new Error('the manager is not signed in');
    await expect(
      ws.caller.audit.signOffBreakGlass({
        startEventId: start.id,
        patientId: patient.id,
        openedBy: manager.user.id,
      }),
    ).rejects.toMatchObject({ cause: { code: 'forbidden' } });
    await ws.caller.audit.signOffBreakGlass({
      startEventId: start.id,
      patientId: patient.id,
      openedBy: start.userId,
    });
    const [signed] = localBreakGlass(ws.replica.db);
    expect(signed?.reviewedAt).toBe(ws.clock.now().toISOString());
    expect(signed?.reviewedBy).toEqual(expect.any(String));
    expect(events('break_glass.review')[0]?.context).toMatchObject({
      role: 'manager',
      patientId: patient.id,
    });
  });

  test('three wrong passwords in a row lock the workstation', async () => {
    ws.signInAs('nurse');
    for (let attempt = 0; attempt < 3; attempt += 1)
      await expect(
        ws.workstation.reauth.confirm(ws.workstation, { action: 'print', password: 'guess' }),
      ).rejects.toMatchObject({ code: 'wrong_password' });
    expect(ws.workstation.sessions.status().state).toBe('locked');
  });
});

describe('ward assignment', () => {
  /** A super administrator turns ward assignment on and gives the demo nurse this ward alone. */
  async function assignNurseTo(wardId: string): Promise<string> {
    ws.signInAs('super_admin');
    const nurseId = (await ws.caller.staff.list()).staff.find((m) => m.role === 'nurse')?.id;
    if (!nurseId) throw new Error('no nurse');
    await ws.caller.staff.assignWard({
      userId: nurseId,
      wardId,
      reauthProof: await ws.reauthProof('staff.grant'),
    });
    await ws.caller.staff.setWardAssignment({ enabled: true });
    ws.workstation.sessions.end('signed_out');
    return nurseId;
  }

  test("off, every nurse keeps the hospital-wide view; on, a chart off the nurse's wards needs break-glass", async () => {
    const { onMyWard, elsewhere } = twoAdmitted();
    ws.signInAs('nurse');
    await ws.caller.chart.open({ patientId: elsewhere.patientId });

    ws.workstation.sessions.end('signed_out');
    await assignNurseTo(onMyWard.wardId);

    ws.signInAs('nurse');
    await ws.caller.chart.open({ patientId: onMyWard.patientId });
    await expect(ws.caller.chart.open({ patientId: elsewhere.patientId })).rejects.toMatchObject({
      cause: { code: 'break_glass_required' },
    });
    await ws.caller.chart.breakGlass({
      patientId: elsewhere.patientId,
      reason: 'other',
      note: 'covering the ward during a staff shortage',
      reauthProof: await ws.reauthProof('break_glass'),
    });
    const chart = await ws.caller.chart.open({ patientId: elsewhere.patientId });
    expect(chart.breakGlass?.purpose).toBe(
      'break-glass: other: covering the ward during a staff shortage',
    );
    expect(events('break_glass.start')[0]?.context.details).toMatchObject({
      cause: 'outside_wards',
    });
    // Break-glass is for charts without standing access only.
    await expect(
      ws.caller.chart.breakGlass({
        patientId: onMyWard.patientId,
        reason: 'direct_care',
        reauthProof: await ws.reauthProof('break_glass'),
      }),
    ).rejects.toThrow(/without break-glass/);
    expect(
      ws.replica.db
        .select()
        .from(auditLogs)
        .where(and(eq(auditLogs.action, 'chart.read'), eq(auditLogs.entityId, onMyWard.patientId)))
        .all()
        .map((event) => AuditContextSchema.parse(event.after).purpose),
    ).toEqual([undefined]);
  });

  test("on, the board and downtime pack of a ward off the nurse's wards are not shown to her", async () => {
    const { onMyWard, elsewhere } = twoAdmitted();
    ws.signInAs('nurse');
    // Off: every ward is everyone's.
    await ws.caller.wardBoard.get({ wardId: elsewhere.wardId });
    expect((await ws.caller.wards.list()).every((ward) => ward.mine)).toBe(true);
    ws.workstation.sessions.end('signed_out');
    await assignNurseTo(onMyWard.wardId);

    const boardReadsElsewhere = () =>
      events('ward_board.read').filter((event) => event.entityId === elsewhere.wardId).length;
    const readsWhileOff = boardReadsElsewhere();
    ws.signInAs('nurse');
    const wards = await ws.caller.wards.list();
    expect(wards.filter((ward) => ward.mine).map((ward) => ward.id)).toEqual([onMyWard.wardId]);
    const board = await ws.caller.wardBoard.get({ wardId: onMyWard.wardId });
    expect(board.ward.id).toBe(onMyWard.wardId);
    const notYours = { cause: { code: 'ward_not_assigned' } };
    await expect(ws.caller.wardBoard.get({ wardId: elsewhere.wardId })).rejects.toMatchObject(
      notYours,
    );
    await expect(ws.caller.wardBoard.get({ wardId: elsewhere.wardId })).rejects.toThrow(
      /not one of your wards.*opens by break-glass/,
    );
    await expect(
      ws.caller.print.downtimePack({
        wardId: elsewhere.wardId,
        reauthProof: await ws.reauthProof('print'),
      }),
    ).rejects.toMatchObject(notYours);
    // The refused pack is on the trail (as every refused change); no board read of that ward is.
    expect(refusalEvents(ws).map((event) => [event.action, event.code ?? null])).toContainEqual([
      'print.downtimePack',
      'ward_not_assigned',
    ]);
    expect(boardReadsElsewhere()).toBe(readsWhileOff);
  });
});

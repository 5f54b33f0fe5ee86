/**
 * The visit's local EMR record in the chart, through the real app router on a real SQLite replica:
 * a doctor adds an entry (one write: row, outbox, audit), everyone with the chart reads it in the
 * same `chart.open`, a nurse may not write it, and a closed stay takes no more entries.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { auditLogs, emrLocal, outbox } from '../../../db/local/schema';
import { demoUserId } from '../../../db/seed/demo-data';
import { stableId } from '../../../shared/reference-data';
import { createTestWorkstation, START, writeTrail, type TestWorkstation } from './support';

const visit1 = stableId('visit', 'NGH/1');
const patient1 = stableId('patient', 'NGH/1');
const demoEntry = stableId('emr_local', visit1);

async function refusal(
  promise: Promise<unknown>,
): Promise<{ trpc: string; code: string | undefined; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError)
      return {
        trpc: error.code,
        code: (error.cause as { code?: string } | undefined)?.code,
        message: error.message,
      };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe("the visit's EMR record in the chart", () => {
  let ws: TestWorkstation;
  beforeEach(() => {
    ws = createTestWorkstation();
  });
  afterEach(() => {
    ws.close();
  });

  it("a nurse opening the chart reads the demo's visit record", async () => {
    ws.signInAs('nurse');
    const chart = await ws.caller.chart.open({ patientId: patient1 });
    expect(chart.emrRecords).toHaveLength(1);
    expect(chart.emrRecords[0]).toMatchObject({
      id: demoEntry,
      kind: 'visit_record',
      body: {
        presentingComplaint: 'Community-acquired pneumonia',
        history: 'See admission notes.',
      },
    });
  });

  it('a doctor adds an assessment: one row in the chart, one outbox mutation, one audit event', async () => {
    ws.signInAs('doctor');
    ws.clock.advance(60_000);
    const before = writeTrail(ws);
    const entry = await ws.caller.emr.add({
      visitId: visit1,
      kind: 'assessment',
      sections: [
        { heading: 'Impression', text: 'Right lower lobe pneumonia, improving.' },
        { heading: 'Plan', text: 'Continue antibiotics; repeat chest X-ray in 48 h.' },
      ],
    });
    expect(writeTrail(ws)).toEqual({ outbox: before.outbox + 1, audit: before.audit + 1 });
    expect(entry).toMatchObject({
      visitId: visit1,
      patientId: patient1,
      kind: 'assessment',
      updatedBy: demoUserId('doctor@hass.example'),
    });

    const chart = await ws.caller.chart.open({ patientId: patient1 });
    expect(chart.emrRecords.map((record) => record.id).sort()).toEqual(
      [demoEntry, entry.id].sort(),
    );
    expect(chart.emrRecords.find((record) => record.id === entry.id)).toMatchObject({
      body: {
        Impression: 'Right lower lobe pneumonia, improving.',
        Plan: 'Continue antibiotics; repeat chest X-ray in 48 h.',
      },
      writtenByName: 'Dr Dana Okafor',
      createdAt: new Date(START.getTime() + 60_000).toISOString(),
    });

    const [mutation] = ws.replica.db.select().from(outbox).where(eq(outbox.rowId, entry.id)).all();
    expect(mutation).toMatchObject({ tableName: 'emr_local', op: 'insert', baseVersion: null });
    expect(mutation?.data).toMatchObject({
      kind: 'assessment',
      body: { Plan: 'Continue antibiotics; repeat chest X-ray in 48 h.' },
    });
    const [event] = ws.replica.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.entityId, entry.id))
      .all();
    expect(event).toMatchObject({
      action: 'emr.assessment',
      entity: 'emr_local',
      userId: demoUserId('doctor@hass.example'),
    });

    // Entries read in the order they were written.
    ws.clock.advance(60_000);
    ws.signInAs('doctor');
    const later = await ws.caller.emr.add({
      visitId: visit1,
      kind: 'procedure',
      sections: [{ heading: 'Procedure', text: 'Cannula re-sited.' }],
    });
    const ids = (await ws.caller.chart.open({ patientId: patient1 })).emrRecords.map(
      (record) => record.id,
    );
    expect(ids.indexOf(later.id)).toBe(ids.indexOf(entry.id) + 1);
  });

  it('a nurse is refused writing the record, and the refusal leaves nothing behind', async () => {
    ws.signInAs('nurse');
    const before = writeTrail(ws);
    const refused = await refusal(
      ws.caller.emr.add({
        visitId: visit1,
        kind: 'other',
        sections: [{ heading: 'Note', text: 'Family visited.' }],
      }),
    );
    expect(refused.trpc).toBe('FORBIDDEN');
    expect(refused.message).toContain("write a visit's local emr record");
    expect(writeTrail(ws)).toEqual(before);
    expect(ws.replica.db.select().from(emrLocal).all()).toHaveLength(6);
  });

  it('refuses an entry without text, with two sections of the same heading, or on a discharged stay', async () => {
    ws.signInAs('doctor');
    const before = writeTrail(ws);
    expect(
      (await refusal(ws.caller.emr.add({ visitId: visit1, kind: 'procedure', sections: [] }))).trpc,
    ).toBe('BAD_REQUEST');
    expect(
      (
        await refusal(
          ws.caller.emr.add({
            visitId: visit1,
            kind: 'procedure',
            sections: [{ heading: 'Note', text: '   ' }],
          }),
        )
      ).trpc,
    ).toBe('BAD_REQUEST');
    const twice = await refusal(
      ws.caller.emr.add({
        visitId: visit1,
        kind: 'procedure',
        sections: [
          { heading: 'Findings', text: 'a' },
          { heading: 'findings', text: 'b' },
        ],
      }),
    );
    expect(twice.message).toContain('Give each section its own heading');
    expect(writeTrail(ws)).toEqual(before);

    const draft = await ws.caller.dischargeSummary.draft({ visitId: visit1 });
    await ws.caller.visits.discharge({
      visitId: visit1,
      summaryDraftId: draft.id,
      summary: 'Recovered; home with oral antibiotics.',
    });
    const closed = await refusal(
      ws.caller.emr.add({
        visitId: visit1,
        kind: 'other',
        sections: [{ heading: 'Note', text: 'Late entry.' }],
      }),
    );
    expect(closed.code).toBe('visit_not_active');
  });
});

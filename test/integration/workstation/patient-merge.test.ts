/**
 * Merging two records of one person on a workstation (issue 13): the comparison, the merge as one
 * synced and audited entry, and how the workstation reads a merged record from then on (search
 * by either MRN finds the survivor), before and after the server's answer arrives.
 */
import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLogs, outbox, patients } from '../../../db/local/schema';
import { createTestWorkstation, writeTrail, type TestWorkstation } from './support';

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) {
      const cause = error.cause as { code?: string } | undefined;
      // Router input validation fails before any service runs: its cause is the ZodError.
      const code = cause?.code ?? (error.code === 'BAD_REQUEST' ? 'invalid_input' : error.code);
      return { code, message: error.message };
    }
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('a manager merges a duplicate registration', () => {
  let ws: TestWorkstation;
  let first: { id: string; mrn: string };
  let second: { id: string; mrn: string };
  beforeEach(async () => {
    ws = createTestWorkstation();
    ws.signInAs('reception');
    const person = {
      firstName: 'Oskar',
      lastName: 'Lindgren',
      dateOfBirth: '1972-02-08',
      sex: 'male' as const,
    };
    first = await ws.caller.patients.register(person);
    second = await ws.caller.patients.register({
      ...person,
      phone: '+46 70 123 45 67',
      allergies: [{ substance: 'Penicillin' }],
    });
    ws.signInAs('manager');
  });
  afterEach(() => {
    ws.close();
  });

  it('compares the two records side by side, with what each holds', async () => {
    const { records } = await ws.caller.patients.compare({ patientIds: [first.id, second.id] });
    expect(records.map((r) => r.patient.mrn)).toEqual([first.mrn, second.mrn]);
    expect(records[1]?.patient.phone).toBe('+46 70 123 45 67');
    expect(records[0]?.holds).toMatchObject({ visits: 0, vitals: 0, appointments: 0 });
    expect(records.every((r) => r.mergedInto === null)).toBe(true);
  });

  it('merges as one synced, audited entry, after which either MRN finds the survivor', async () => {
    const merge = await ws.caller.patients.merge({
      survivorId: first.id,
      mergedId: second.id,
      reason: 'Same person',
    });
    expect(merge).toMatchObject({ survivorPatientId: first.id, mergedPatientId: second.id });
    const [queued] = ws.replica.db
      .select()
      .from(outbox)
      .where(eq(outbox.tableName, 'patient_merges'))
      .all();
    expect(queued).toMatchObject({ op: 'insert', rowId: merge.id, status: 'pending' });
    const [audit] = ws.replica.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.action, 'patient.merge'))
      .all();
    expect(audit?.entityId).toBe(merge.id);

    for (const query of [first.mrn, second.mrn, 'lindgren']) {
      const found = await ws.caller.patients.search({ query });
      expect(
        found.map((p) => p.id),
        query,
      ).toEqual([first.id]);
      expect(found[0]?.alsoKnownAs).toEqual([second.mrn]);
    }
    const { records } = await ws.caller.patients.compare({ patientIds: [first.id, second.id] });
    expect(records[1]?.mergedInto).toEqual({ id: first.id, mrn: first.mrn });
    expect(records[0]?.alsoKnownAs).toEqual([second.mrn]);
  });

  it('keeps reading the record as merged once the server has marked it and the merge has left the outbox', async () => {
    await ws.caller.patients.merge({ survivorId: first.id, mergedId: second.id });
    // What a push answer and the next pull leave behind: no pending merge, the server's mark.
    ws.replica.db.delete(outbox).where(eq(outbox.tableName, 'patient_merges')).run();
    expect((await ws.caller.patients.search({ query: second.mrn })).map((p) => p.id)).toEqual([
      second.id,
    ]);
    ws.replica.db
      .update(patients)
      .set({ mergedIntoId: first.id })
      .where(eq(patients.id, second.id))
      .run();
    const found = await ws.caller.patients.search({ query: second.mrn });
    expect(found.map((p) => p.id)).toEqual([first.id]);
    expect(found[0]?.alsoKnownAs).toEqual([second.mrn]);
  });

  it('refuses a merge of a merged record, or of a record into itself, without a trace', async () => {
    await ws.caller.patients.merge({ survivorId: first.id, mergedId: second.id });
    const before = writeTrail(ws);
    const again = await refusal(
      ws.caller.patients.merge({ survivorId: second.id, mergedId: first.id }),
    );
    expect(again.code).toBe('already_merged');
    expect(again.message).toContain(`MRN ${second.mrn} was already merged into MRN ${first.mrn}`);
    const itself = await refusal(
      ws.caller.patients.merge({ survivorId: first.id, mergedId: first.id }),
    );
    expect(itself.code).toBe('invalid_input');
    expect(writeTrail(ws)).toEqual(before);
    expect(
      ws.replica.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.tableName, 'patient_merges')))
        .all(),
    ).toHaveLength(1);
  });

  it('is not offered to reception: the procedures need patients:merge', async () => {
    ws.signInAs('reception');
    const refused = await refusal(
      ws.caller.patients.merge({ survivorId: first.id, mergedId: second.id }),
    );
    expect(refused.code).toBe('forbidden');
  });
});

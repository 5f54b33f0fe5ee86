/**
 * Wards and beds on the Admin screen: every change through the write path (row, outbox mutation,
 * audit event), a CSV import all or nothing with its problems by line, the permissions of the
 * catalog, and a bed under maintenance refused to an admission in words a nurse can act on.
 */
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { auditLogs, beds, outbox, wards } from '../../../db/local/schema';
import { createTestWorkstation, writeTrail, type TestWorkstation } from './support';

let ws: TestWorkstation;
beforeEach(() => {
  ws = createTestWorkstation();
});
afterEach(() => {
  ws.close();
});

const CSV = [
  'ward_code,ward_name,floor,bed_number,bed_status',
  'ONC,Oncology,4,ONC-01,',
  'ONC,Oncology,4,ONC-02,maintenance',
  'DAY,Day unit,0,,',
].join('\n');

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) {
      const cause = error.cause as { code?: string } | undefined;
      return { code: cause?.code ?? error.code, message: error.message };
    }
    throw error;
  }
  throw new Error('expected a refusal');
}

const bedByNumber = (number: string) => {
  const bed = ws.replica.db.select().from(beds).where(eq(beds.number, number)).get();
  if (!bed) throw new Error(`no bed ${number}`);
  return bed;
};

test('a CSV import writes every ward and bed in one write, each with its outbox mutation and audit event', async () => {
  ws.signInAs('regional_admin');
  const before = writeTrail(ws);
  const outcome = await ws.caller.organisation.importCsv({ csv: CSV });
  expect(outcome).toEqual({ ok: true, wards: ['ONC', 'DAY'], beds: 2 });
  expect(writeTrail(ws)).toEqual({ outbox: before.outbox + 4, audit: before.audit + 4 });
  expect(bedByNumber('ONC-02').status).toBe('maintenance');
  const view = await ws.caller.organisation.view();
  expect(view.wards.find((ward) => ward.code === 'ONC')?.beds.map((bed) => bed.number)).toEqual([
    'ONC-01',
    'ONC-02',
  ]);
  const created = ws.replica.db
    .select({ action: auditLogs.action })
    .from(auditLogs)
    .where(eq(auditLogs.action, 'bed.create'))
    .all();
  expect(created).toHaveLength(2);
});

test('a file with a problem imports nothing and names each problem by its line', async () => {
  ws.signInAs('regional_admin');
  const before = writeTrail(ws);
  const wardsBefore = ws.replica.db.select().from(wards).all().length;
  const outcome = await ws.caller.organisation.importCsv({
    csv: `${CSV}\nONC,Oncology,4,A-01,\nXX,Bad floor,high,X-1,`,
  });
  expect(outcome.ok).toBe(false);
  if (outcome.ok) return;
  expect(outcome.problems).toEqual([
    { line: 5, message: 'Bed A-01 already exists in this hospital.' },
    expect.objectContaining({ line: 6 }),
  ]);
  expect(writeTrail(ws)).toEqual(before);
  expect(ws.replica.db.select().from(wards).all()).toHaveLength(wardsBefore);
});

test('a nurse cannot add wards or beds; a manager sets bed status but cannot add a ward', async () => {
  ws.signInAs('nurse');
  expect(
    (await refusal(ws.caller.organisation.addWard({ code: 'X', name: 'X', floor: 1 }))).code,
  ).toBe('forbidden');
  ws.signInAs('manager');
  expect((await refusal(ws.caller.organisation.importCsv({ csv: CSV }))).code).toBe('forbidden');
  const bed = bedByNumber('A-05');
  await ws.caller.organisation.setBedStatus({ bedId: bed.id, status: 'reserved' });
  expect(bedByNumber('A-05').status).toBe('reserved');
  const mutation = ws.replica.db.select().from(outbox).where(eq(outbox.rowId, bed.id)).all();
  expect(mutation.at(-1)?.op).toBe('update');
});

test('a bed under maintenance cannot take a patient, and a bed with a patient keeps its status', async () => {
  ws.signInAs('regional_admin');
  const ward = await ws.caller.organisation.addWard({ code: 'REN', name: 'Renal', floor: 3 });
  const bed = await ws.caller.organisation.addBed({ wardId: ward.id, number: 'REN-1' });
  expect(bed.floor).toBe(3);
  const taken = await refusal(ws.caller.organisation.addBed({ wardId: ward.id, number: 'REN-1' }));
  expect(taken).toMatchObject({ code: 'bed_number_taken' });
  ws.signInAs('manager');
  await ws.caller.organisation.setBedStatus({ bedId: bed.id, status: 'maintenance' });

  ws.signInAs('reception');
  const patient = await ws.caller.patients.register({
    firstName: 'Ada',
    lastName: 'Okafor',
    dateOfBirth: '1961-03-04',
    sex: 'female',
  });
  const before = writeTrail(ws);
  const refused = await refusal(
    ws.caller.visits.admit({ patientId: patient.id, wardId: ward.id, bedId: bed.id }),
  );
  expect(refused).toMatchObject({
    code: 'bed_unavailable',
    message: 'Bed REN-1 is under maintenance and cannot take a patient.',
  });
  expect(writeTrail(ws).outbox).toBe(before.outbox);

  ws.signInAs('manager');
  await ws.caller.organisation.setBedStatus({ bedId: bed.id, status: 'available' });
  ws.signInAs('reception');
  await ws.caller.visits.admit({ patientId: patient.id, wardId: ward.id, bedId: bed.id });
  ws.signInAs('manager');
  const occupied = await refusal(
    ws.caller.organisation.setBedStatus({ bedId: bed.id, status: 'maintenance' }),
  );
  expect(occupied).toMatchObject({ code: 'bed_occupied' });
  expect(occupied.message).toMatch(/has a patient in it/);
});

/**
 * No poison batch (issue 14): a push the server refuses as a whole (413, 400, a 5xx that
 * repeats) is bisected down to the one change it cannot take, which is set aside for a person;
 * every other change lands. Each sync phase fails on its own.
 */
import { desc, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mrnPool, outbox, visits, vitals } from '../../../db/local/schema';
import { WardError } from '../../../main/errors';
import { writeClinical, type WriteContext } from '../../../main/services/write-path';
import { listNeedsAttention } from '../../../main/sync/conflicts';
import { outboxMutation } from '../../../main/sync/outbox-mutation';
import { SERVER_FAILURES_BEFORE_SET_ASIDE } from '../../../main/sync/set-aside';
import { mutationSigningText } from '../../../shared/authorship';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

const NURSE = 'nurse@hass.example';
/** Low enough that 300 ordinary vitals do not fit in one push, as 500 long notes do not in 8 MiB. */
const BODY_LIMIT = 256 * 1024;

/** Charts one set of vitals per note, each in its own write (its own outbox mutation). */
function chart(context: WriteContext, notes: string[]): void {
  const visit = context.db.select().from(visits).where(eq(visits.status, 'admitted')).get();
  if (!visit) throw new Error('no admitted visit');
  for (const note of notes) {
    writeClinical(context, (batch) =>
      batch.insert(vitals, {
        visitId: visit.id,
        patientId: visit.patientId,
        recordedAt: batch.now,
        temperatureC: null,
        systolic: null,
        diastolic: null,
        heartRate: 72,
        respiratoryRate: 14,
        spo2: null,
        weightKg: null,
        heightCm: null,
        bmi: null,
        abnormal: [],
        recordedBy: batch.actor.userId,
        notes: note,
        enteredInErrorId: null,
      }),
    );
  }
}

/** Notes long enough (about 1 KB) that a few hundred of them overflow the body limit. */
function notes(prefix: string, from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix} ${from + i} ${'x'.repeat(1000)}`);
}

/**
 * A change as an older or buggy Wardline might have stored it (no write path, no audit event),
 * signed by the nurse: a copy of her last vitals as a new row, with `change` applied.
 */
function storeRawChange(
  ws: TestWorkstation,
  change: { tableName?: string; notes: string },
): string {
  const signer = ws.signerOf(NURSE);
  const last = ws.db.select().from(outbox).orderBy(desc(outbox.deviceSeq)).limit(1).get();
  if (!last) throw new Error('chart something first');
  const rowId = uuidv7();
  const fields = {
    mutationId: uuidv7(),
    deviceSeq: last.deviceSeq + 1,
    userId: signer.userId,
    tableName: change.tableName ?? last.tableName,
    op: 'insert' as const,
    rowId,
    baseVersion: null,
    data: { ...last.data, id: rowId, notes: change.notes },
    clientTime: new Date().toISOString(),
  };
  ws.db
    .insert(outbox)
    .values({ ...fields, signature: signer.sign(mutationSigningText(outboxMutation(fields))) })
    .run();
  return fields.mutationId;
}

async function serverNotes(server: CentralServer, prefix: string): Promise<number> {
  const result = await server.database.db.execute<{ n: number }>(
    sql`select count(*)::int as n from vitals where notes like ${`${prefix} %`}`,
  );
  return result.rows[0]?.n ?? -1;
}

describe('a push the server refuses as a whole', () => {
  let server: CentralServer;
  let ward: TestWorkstation;

  beforeAll(async () => {
    server = await startCentralServer({ bodyLimit: BODY_LIMIT });
    ward = await enrolledWorkstation('poison-ward', server.url, await server.enrollmentCode());
  });
  afterAll(async () => {
    await ward.close();
    await server.close();
  });

  it('lands all 300 good changes around one too large and one malformed, and lists those two', async () => {
    const nurse = ward.as(NURSE);
    chart(nurse, notes('poison-good', 0, 120));
    // Over the server's body limit on its own.
    storeRawChange(ward, { notes: `poison-oversized ${'z'.repeat(300 * 1024)}` });
    chart(nurse, notes('poison-good', 120, 100));
    // The server's schema refuses the whole request it is in: a table name over 64 characters.
    const malformed = storeRawChange(ward, {
      tableName: `vitals_${'y'.repeat(80)}`,
      notes: 'poison-malformed',
    });
    chart(nurse, notes('poison-good', 220, 80));

    const run = await ward.sync();
    expect(run.error).toBeUndefined();
    expect(run.ok).toBe(true);
    expect(await serverNotes(server, 'poison-good')).toBe(300);
    expect(await serverNotes(server, 'poison-oversized')).toBe(0);
    expect(ward.engine.status().pending).toBe(0);
    expect(ward.engine.status().needsAttention).toBe(2);

    const listed = listNeedsAttention(ward.db);
    expect(listed.map((item) => item.reasonCode)).toEqual(['too_large', 'unreadable']);
    expect(listed[0]?.reasonMessage).toMatch(/too large for the server/);
    expect(listed[1]?.mutationId).toBe(malformed);
    expect(listed[1]?.reasonMessage).toMatch(/cannot read this change \(.*table/);
  });

  it('sets aside a change the server fails on only once it has failed several syncs in a row', async () => {
    const nurse = ward.as(NURSE);
    chart(nurse, notes('fails-before', 0, 5));
    // A database fault the server has no answer for (not one of its mapped refusals), on this
    // change only: a trigger of the test's own making.
    await server.database.db.$client.query(`
      create function fail_this_change() returns trigger language plpgsql as $$
      begin
        if new.notes = 'fails-server here' then raise exception 'a fault of the test'; end if;
        return new;
      end $$;
      create trigger fail_this_change before insert on vitals
        for each row execute function fail_this_change()`);
    storeRawChange(ward, { notes: 'fails-server here' });
    chart(nurse, notes('fails-after', 0, 5));

    for (let run = 1; run < SERVER_FAILURES_BEFORE_SET_ASIDE; run += 1) {
      const failed = await ward.sync();
      expect(failed.ok).toBe(false);
      expect(await serverNotes(server, 'fails-before')).toBe(5);
      // Nothing after it is sent while it may still be a passing fault: order is kept.
      expect(await serverNotes(server, 'fails-after')).toBe(0);
      expect(ward.engine.status().pending).toBe(6);
    }
    expect((await ward.sync()).ok).toBe(true);
    expect(await serverNotes(server, 'fails-after')).toBe(5);
    expect(ward.engine.status().pending).toBe(0);
    const setAside = listNeedsAttention(ward.db).at(-1);
    expect(setAside?.reasonCode).toBe('server_failed');
    expect(setAside?.reasonMessage).toMatch(/failed on this change 3 times/);
    await server.database.db.$client.query(
      'drop trigger fail_this_change on vitals; drop function fail_this_change()',
    );
  });

  it('refuses a change too large to ever send before storing it', () => {
    const before = ward.db
      .select({ n: sql<number>`count(*)` })
      .from(outbox)
      .get()?.n;
    const writeHuge = () => {
      chart(ward.as(NURSE), [`too-large ${'q'.repeat(1100 * 1024)}`]);
    };
    expect(writeHuge).toThrow(WardError);
    expect(writeHuge).toThrow(/too large to save \(1\.1 MB; at most 1 MB\)/);
    expect(
      ward.db
        .select({ n: sql<number>`count(*)` })
        .from(outbox)
        .get()?.n,
    ).toBe(before);
    const stored = ward.db
      .select({ n: sql<number>`count(*)` })
      .from(vitals)
      .where(sql`notes like 'too-large %'`)
      .get();
    expect(stored?.n).toBe(0);
  });

  it('tops up MRNs and pulls even when the audit push is refused', async () => {
    // An audit event the server's schema refuses (an action name over 64 characters).
    ward.db.$client
      .prepare(
        `insert into audit_logs (id, device_seq, at, user_id, action, entity, entity_id, before, after, prev_hash, hash)
         select ?, max(device_seq) + 1, ?, null, ?, 'devices', null, null, null, ?, ?
           from audit_logs`,
      )
      .run(uuidv7(), new Date().toISOString(), 'a'.repeat(100), '0'.repeat(64), 'f'.repeat(64));
    ward.db.delete(mrnPool).run();
    chart(ward.as(NURSE), ['phases-push 0']);

    const run = await ward.sync();
    expect(run.ok).toBe(false);
    expect(run.error).toMatch(/action/);
    expect(await serverNotes(server, 'phases-push')).toBe(1);
    expect(
      ward.db
        .select({ n: sql<number>`count(*)` })
        .from(mrnPool)
        .get()?.n,
    ).toBeGreaterThan(0);
  });
});

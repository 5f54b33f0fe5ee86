/**
 * A full disk (issue 14): a write SQLite cannot make room for is refused with a sentence that
 * says the entry was not saved, and leaves nothing of itself behind (no row, no outbox mutation,
 * no audit event). The disk is "full" through max_page_count on the real encrypted replica.
 */
import { TRPCError } from '@trpc/server';
import { count, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vitals } from '../../../db/local/schema';
import { DISK_FULL_MESSAGE } from '../../../main/disk-full';
import { verifyDeviceAuditChain } from '../../../main/services/audit';
import { stableId } from '../../../shared/reference-data';
import { createTestWorkstation, writeTrail, type TestWorkstation } from './support';

const visit1 = stableId('visit', 'NGH/1');

describe('a full disk', () => {
  let ws: TestWorkstation;
  beforeEach(() => {
    ws = createTestWorkstation();
    ws.signInAs('nurse');
  });
  afterEach(() => {
    ws.close();
  });

  const vitalsCount = () =>
    ws.replica.db.select({ n: count() }).from(vitals).where(eq(vitals.visitId, visit1)).get()?.n;

  it('refuses the entry with a sentence for IT and keeps nothing partial', async () => {
    const sqlite = ws.replica.db.$client;
    // Everything committed so far lives in the database file, then no page more may be added.
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.pragma(`max_page_count = ${String(sqlite.pragma('page_count', { simple: true }))}`);

    const baseline = vitalsCount() ?? 0;
    let refusal: unknown = null;
    let saved = 0;
    for (let i = 0; i < 500 && refusal === null; i += 1) {
      const before = { trail: writeTrail(ws), vitals: vitalsCount() };
      try {
        await ws.caller.vitals.record({ visitId: visit1, heartRate: 70, notes: 'n'.repeat(1900) });
        saved += 1;
      } catch (error) {
        refusal = error;
        expect({ trail: writeTrail(ws), vitals: vitalsCount() }).toEqual(before);
      }
    }
    expect(refusal).toBeInstanceOf(TRPCError);
    expect((refusal as TRPCError).message).toBe(DISK_FULL_MESSAGE);
    expect((refusal as TRPCError).cause).toMatchObject({ code: 'disk_full' });
    expect(verifyDeviceAuditChain(ws.replica.db)).toEqual([]);

    // Room again: the next entry is saved, and the chain goes on whole.
    sqlite.pragma('max_page_count = 1073741823');
    await ws.caller.vitals.record({ visitId: visit1, heartRate: 71 });
    expect(vitalsCount()).toBe(baseline + saved + 1);
    expect(verifyDeviceAuditChain(ws.replica.db)).toEqual([]);
  });
});

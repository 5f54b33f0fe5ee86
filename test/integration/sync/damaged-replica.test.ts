/**
 * Integrity at start (issue 14): pages of a real encrypted replica are overwritten on disk; the
 * next start finds the damage with quick_check, moves the file aside, salvages what can be read
 * of the outbox and the audit chain into a fresh replica, pulls the hospital's record again and
 * sends the salvaged changes: nothing the server had not confirmed is lost.
 */
import { existsSync, openSync, readdirSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { count, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { auditLogs, outbox } from '../../../db/local/schema';
import type { LocalDb } from '../../../db/local/open';
import { openReplicaWithKeyFile } from '../../../main/replica';
import { SyncEngine } from '../../../main/sync/engine';
import { SEQUENCE_MARGIN } from '../../../main/sync/salvage';
import { readSyncState } from '../../../main/sync/sync-state';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { replicaVersions, serverVersions } from '../../support/convergence';
import { openUnlocked } from '../../support/replica-files';
import {
  chartManyVitals,
  enrolledWorkstation,
  type TestWorkstation,
} from '../../support/workstation';

const NURSE = 'nurse@hass.example';

/** Leaf pages of `table` in the replica file, found with the key (dbstat). */
function leafPages(file: string, table: string): number[] {
  const sqlite = openUnlocked(file);
  try {
    return (
      sqlite
        .prepare("select pageno from dbstat where name = ? and pagetype = 'leaf' order by pageno")
        .all(table) as { pageno: number }[]
    ).map((row) => row.pageno);
  } finally {
    sqlite.close();
  }
}

/** Overwrites the middle of each page on disk, as a failing disk or a stray write would. */
function damagePages(file: string, pages: number[]): void {
  const fd = openSync(file, 'r+');
  try {
    for (const page of pages)
      writeSync(fd, Buffer.alloc(256, 0x5a), 0, 256, (page - 1) * 4096 + 1024);
  } finally {
    closeSync(fd);
  }
}

describe('a damaged replica at start', () => {
  let server: CentralServer;
  let ward: TestWorkstation;

  beforeAll(async () => {
    server = await startCentralServer();
    ward = await enrolledWorkstation('damaged-ward', server.url, await server.enrollmentCode());
  });
  afterAll(async () => {
    await ward.close();
    await server.close();
  });

  it(
    'is set aside; its unsent changes are salvaged, sent, and the record pulled again',
    { timeout: 120_000 },
    async () => {
      chartManyVitals(ward.as(NURSE), 300, 'damaged-sent');
      expect((await ward.sync()).ok).toBe(true);
      chartManyVitals(ward.as(NURSE), 60, 'damaged-unsent');
      await ward.ready();
      const deviceId = readSyncState(ward.db).deviceId;
      const unsent = ward.db.select({ n: count() }).from(outbox).get()?.n;
      expect(unsent).toBe(60);
      const file = join(ward.dir, 'replica.db');
      ward.db.$client.close();

      // Clinical pages and one page in the middle of the audit chain (sent events only).
      const vitalsPages = leafPages(file, 'vitals');
      const auditPages = leafPages(file, 'audit_logs');
      damagePages(file, [...vitalsPages.slice(2, 5), auditPages[2] ?? 0]);

      const db: LocalDb = openReplicaWithKeyFile(file);
      ward.db = db;
      const aside = readdirSync(ward.dir).filter((name) => name.startsWith('replica.db.damaged-'));
      expect(aside.length).toBeGreaterThan(0);
      expect(existsSync(join(ward.dir, aside[0] ?? ''))).toBe(true);

      // The fresh replica keeps the enrollment and every unsent change, numbered on from there.
      const state = readSyncState(db);
      expect(state.deviceId).toBe(deviceId);
      expect(state.pullCursor).toBeNull();
      expect(state.lastError).toMatch(
        /damaged and was set aside.*60 entries .*recovered.*audit_logs.*tell IT/,
      );
      expect(db.select({ n: count() }).from(outbox).get()?.n).toBe(60);
      const salvageEvent = db
        .select()
        .from(auditLogs)
        .where(sql`${auditLogs.action} = 'replica.salvage'`)
        .get();
      expect(salvageEvent?.after).toMatchObject({ damaged: ['audit_logs'] });
      const seq = db.$client
        .prepare("select seq from sqlite_sequence where name = 'outbox'")
        .get() as { seq: number };
      expect(seq.seq).toBeGreaterThanOrEqual(SEQUENCE_MARGIN);

      const engine = new SyncEngine({ db, tokens: ward.tokens });
      expect((await engine.syncNow()).ok).toBe(true);
      expect(engine.status()).toMatchObject({ pending: 0, needsAttention: 0 });
      const stored = await server.database.db.execute<{ n: number }>(
        sql`select count(*)::int as n from vitals where notes like 'damaged-unsent %'`,
      );
      expect(stored.rows[0]?.n).toBe(60);
      expect(replicaVersions(db, DEMO_HOSPITAL_ID)).toEqual(
        await serverVersions(server.database, DEMO_HOSPITAL_ID),
      );
      expect(
        db.select({ n: count() }).from(auditLogs).where(isNull(auditLogs.pushedAt)).get()?.n,
      ).toBe(0);
    },
  );

  it(
    'loses only the unsent changes on a page that no longer reads, and says so',
    { timeout: 120_000 },
    async () => {
      const desk = await enrolledWorkstation(
        'damaged-desk',
        server.url,
        await server.enrollmentCode(),
      );
      try {
        chartManyVitals(desk.as(NURSE), 300, 'outbox-damaged');
        await desk.ready();
        const file = join(desk.dir, 'replica.db');
        desk.db.$client.close();
        const outboxPages = leafPages(file, 'outbox');
        expect(outboxPages.length).toBeGreaterThan(4);
        damagePages(file, [outboxPages[Math.floor(outboxPages.length / 2)] ?? 0]);

        desk.db = openReplicaWithKeyFile(file);
        const salvaged = desk.db.select({ n: count() }).from(outbox).get()?.n ?? 0;
        expect(salvaged).toBeGreaterThan(250);
        expect(salvaged).toBeLessThan(300);
        expect(readSyncState(desk.db).lastError).toMatch(/could not be read \(outbox\): tell IT/);

        const engine = new SyncEngine({ db: desk.db, tokens: desk.tokens });
        expect((await engine.syncNow()).ok).toBe(true);
        expect(engine.status()).toMatchObject({ pending: 0, needsAttention: 0 });
        const stored = await server.database.db.execute<{ n: number }>(
          sql`select count(*)::int as n from vitals where notes like 'outbox-damaged %'`,
        );
        expect(stored.rows[0]?.n).toBe(salvaged);
      } finally {
        await desk.close();
      }
    },
  );
});

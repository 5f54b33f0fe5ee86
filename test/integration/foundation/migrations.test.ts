import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { CENTRAL_MIGRATIONS, migrateCentralDatabase } from '../../../db/central/migrate';
import { LOCAL_MIGRATIONS, migrateLocalDatabase } from '../../../db/local/migrate';
import { openLocalDatabase } from '../../../db/local/open';
import { openReplicaWithKeyFile } from '../../../main/replica';
import { DatabaseFromTheFutureError } from '../../../db/migration-journal';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { createTestReplica, type TestReplica } from '../../support/sqlite';

/** A copy of a migrations folder whose journal claims one more, newer migration. */
function journalFromTheFuture(folder: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'wardline-future-'));
  cpSync(folder, copy, { recursive: true });
  const journalFile = join(copy, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as {
    entries: { when: number }[];
  };
  for (const entry of journal.entries) entry.when += 1;
  writeFileSync(journalFile, JSON.stringify(journal));
  return copy;
}

/** A copy of a migrations folder whose journal stops before the migration tagged `tag`. */
function journalBefore(folder: string, tag: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'wardline-before-'));
  cpSync(folder, copy, { recursive: true });
  const journalFile = join(copy, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as {
    entries: { tag: string }[];
  };
  const at = journal.entries.findIndex((entry) => entry.tag === tag);
  if (at < 0) throw new Error(`no migration ${tag}`);
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  return copy;
}

describe('migrations', () => {
  let central: TestDatabase;
  let replica: TestReplica;
  beforeAll(async () => {
    central = await createTestDatabase();
    replica = createTestReplica();
  });
  afterAll(async () => {
    await central.drop();
    replica.close();
  });

  it('apply to a fresh SQLite file, in WAL mode with foreign keys on', () => {
    const tables = replica.db.all<{ name: string }>(
      sql`select name from sqlite_master where type = 'table' order by name`,
    );
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['patients', 'visits', 'vitals', 'outbox', 'audit_logs']),
    );
    expect(replica.db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(replica.db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('apply to a fresh PostgreSQL', async () => {
    const result = await central.db.execute<{ tablename: string }>(
      sql`select tablename from pg_tables where schemaname = 'public'`,
    );
    expect(result.rows.map((r) => r.tablename)).toEqual(
      expect.arrayContaining(['patients', 'emr_global', 'change_feed', 'applied_mutations']),
    );
  });

  it('are idempotent: reopening a migrated replica changes nothing', () => {
    const before = replica.db.all(sql`select * from __drizzle_migrations`);
    replica.db.$client.close();
    const reopened = openReplicaWithKeyFile(replica.file);
    expect(reopened.all(sql`select * from __drizzle_migrations`)).toEqual(before);
    reopened.$client.close();
    replica = { ...replica, db: openReplicaWithKeyFile(replica.file) };
  });

  it('refuse a replica written by a newer version, and leave it untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wardline-newer-'));
    const file = join(dir, 'replica.db');
    const sqlite = new Database(file);
    const db = drizzle({ client: sqlite });
    migrateLocalDatabase(db, journalFromTheFuture(LOCAL_MIGRATIONS));
    const before = db.all(sql`select * from __drizzle_migrations`);
    sqlite.close();

    // A plaintext file, as the check runs before (and whatever) the key.
    expect(() => openLocalDatabase(file, { key: null })).toThrow(DatabaseFromTheFutureError);
    expect(() => openLocalDatabase(file, { key: null })).toThrow(/newer version of Wardline/);

    const after = new Database(file);
    expect(drizzle({ client: after }).all(sql`select * from __drizzle_migrations`)).toEqual(before);
    after.close();
  });

  it('bring each stock item’s count forward as an opening movement that the change feed carries', async () => {
    const older = await createTestDatabase({ migrate: false });
    try {
      // drizzle's own migrator: the feed triggers must come from the migration itself.
      await migrate(older.db, {
        migrationsFolder: journalBefore(CENTRAL_MIGRATIONS, '0010_inventory_opening_balances'),
      });
      const ids = {
        region: '0190e6b0-0000-7000-8000-00000000a001',
        hospital: '0190e6b0-0000-7000-8000-00000000a002',
        counted: '0190e6b0-0000-7000-8000-00000000a003',
        empty: '0190e6b0-0000-7000-8000-00000000a004',
      };
      const client = older.db.$client;
      await client.query("insert into regions (id, code, name) values ($1, 'OLD', 'Old region')", [
        ids.region,
      ]);
      await client.query(
        "insert into hospitals (id, hospital_id, code, name, region_id) values ($1, $1, 'OLD', 'Old hospital', $2)",
        [ids.hospital, ids.region],
      );
      await client.query(
        `insert into inventory (id, hospital_id, item_type, name, unit, quantity, threshold)
         values ($1, $3, 'supply', 'Gauze', 'pack', 12, 2), ($2, $3, 'supply', 'Tape', 'roll', 0, 1)`,
        [ids.counted, ids.empty, ids.hospital],
      );
      await migrateCentralDatabase(older.db);
      const movements = await older.db.$client.query(
        'select id, item_id, kind, quantity, recorded_by from inventory_movements order by id',
      );
      expect(movements.rows).toEqual([
        {
          id: ids.counted,
          item_id: ids.counted,
          kind: 'adjusted',
          quantity: 12,
          recorded_by: null,
        },
      ]);
      const feed = await older.db.$client.query(
        "select row_id from change_feed where table_name = 'inventory_movements'",
      );
      expect(feed.rows).toEqual([{ row_id: ids.counted }]);
      const columns = await older.db.$client.query(
        "select column_name from information_schema.columns where table_name = 'inventory' and column_name = 'quantity'",
      );
      expect(columns.rows).toEqual([]);
    } finally {
      await older.drop();
    }
  });

  it("keep a replica's pushed audit events acknowledged as a cursor, and make the events append-only", () => {
    const dir = mkdtempSync(join(tmpdir(), 'wardline-audit-cursor-'));
    const sqlite = new Database(join(dir, 'replica.db'));
    const older = drizzle({ client: sqlite });
    try {
      migrateLocalDatabase(older, journalBefore(LOCAL_MIGRATIONS, '0008_audit_push_state'));
      const event = (seq: number, pushedAt: string | null) =>
        sql`insert into audit_logs (id, device_seq, at, action, entity, prev_hash, hash, pushed_at)
            values (${`0190e6b0-0000-7000-8000-00000000b00${String(seq)}`}, ${seq},
                    '2026-11-23T08:00:00.000Z', 'chart.read', 'patients', ${'0'.repeat(64)},
                    ${String(seq).repeat(64)}, ${pushedAt})`;
      older.run(event(1, '2026-11-23T08:05:00.000Z'));
      older.run(event(2, '2026-11-23T08:05:00.000Z'));
      older.run(event(3, null));
      migrateLocalDatabase(older);
      expect(older.get(sql`select pushed_through_seq as seq from audit_push_state`)).toEqual({
        seq: 2,
      });
      const client = sqlite;
      expect(() => client.exec("update audit_logs set action = 'x' where device_seq = 1")).toThrow(
        /append-only/,
      );
      expect(() => client.exec('delete from audit_logs where device_seq = 3')).toThrow(
        /append-only/,
      );
      // The one change allowed: a late signature on an event that had none, nothing else.
      client.exec("update audit_logs set signature = 'sig' where device_seq = 3");
      expect(() =>
        client.exec("update audit_logs set signature = 'other' where device_seq = 3"),
      ).toThrow(/append-only/);
    } finally {
      sqlite.close();
    }
  });

  it('refuse a central database migrated by a newer version', async () => {
    const newer = await createTestDatabase({ migrate: false });
    try {
      await migrateCentralDatabase(newer.db, journalFromTheFuture(CENTRAL_MIGRATIONS));
      await expect(migrateCentralDatabase(newer.db)).rejects.toThrow(DatabaseFromTheFutureError);
    } finally {
      await newer.drop();
    }
  });
});

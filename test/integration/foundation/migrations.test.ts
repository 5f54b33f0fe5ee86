import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

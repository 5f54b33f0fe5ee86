import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { createTestReplica, type TestReplica } from '../support/sqlite';

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

  it('apply to a fresh SQLite file', () => {
    const tables = replica.db.all<{ name: string }>(
      sql`select name from sqlite_master where type = 'table' order by name`,
    );
    expect(tables.map((t) => t.name)).toContain('vitals');
  });

  it('apply to a fresh PostgreSQL', async () => {
    const result = await central.db.execute<{ tablename: string }>(
      sql`select tablename from pg_tables where schemaname = 'public'`,
    );
    expect(result.rows.map((r) => r.tablename)).toContain('emr_global');
  });
});

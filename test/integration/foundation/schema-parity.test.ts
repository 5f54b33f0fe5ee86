import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_COLUMN_KEYS } from '../../../shared/schemas/common';
import { SYNCED_TABLES } from '../../../shared/synced-tables';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { createTestReplica, type TestReplica } from '../../support/sqlite';

const snake = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

describe('the synced tables', () => {
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

  const sqliteColumns = (table: string) =>
    replica.db
      .all<{ name: string }>(sql`select name from pragma_table_info(${table})`)
      .map((c) => c.name)
      .sort();

  const postgresColumns = async (table: string) =>
    (
      await central.db.execute<{ column_name: string }>(
        sql`select column_name from information_schema.columns
            where table_schema = 'public' and table_name = ${table}`,
      )
    ).rows
      .map((c) => c.column_name)
      .sort();

  it.each(SYNCED_TABLES.map((t) => [t.name, t] as const))(
    '%s has the same columns in SQLite, in PostgreSQL and in its zod schema',
    async (name, table) => {
      const expected = [...SYNC_COLUMN_KEYS, ...Object.keys(table.fields.shape)].map(snake).sort();
      expect(sqliteColumns(name)).toEqual(expected);
      expect(await postgresColumns(name)).toEqual(expected);
    },
  );
});

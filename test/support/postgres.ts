import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { migrateCentralDatabase } from '../../db/central/migrate';
import { connectCentralDatabase, type CentralDb } from '../../server/db/connect';

export interface TestDatabase {
  url: string;
  db: CentralDb;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('postgresAdminUrl') });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database in the run's embedded cluster; migrated unless asked not to be. */
export async function createTestDatabase(
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const name = `test_${randomUUID().replaceAll('-', '')}`;
  await admin((client) => client.query(`create database ${name}`));
  const url = inject('postgresAdminUrl').replace(/\/[^/]+$/, `/${name}`);
  const db = connectCentralDatabase(url, { max: 4 });
  if (options.migrate ?? true) await migrateCentralDatabase(db);
  return {
    url,
    db,
    drop: async () => {
      await db.$client.end();
      await admin((client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

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

/** One statement-runner on the cluster's maintenance database (create, drop, list databases). */
export async function admin<T>(
  adminUrl: string,
  run: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The address of database `name` on the cluster `adminUrl` points at. */
export const databaseUrl = (adminUrl: string, name: string) =>
  adminUrl.replace(/\/[^/]+$/, `/${name}`);

/**
 * A new, empty database in the run's embedded cluster (or the cluster of `adminUrl`, for the
 * soak, which runs outside vitest); migrated unless asked not to be.
 */
export async function createTestDatabase(
  options: { migrate?: boolean; adminUrl?: string } = {},
): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? inject('postgresAdminUrl');
  const name = `test_${randomUUID().replaceAll('-', '')}`;
  await admin(adminUrl, (client) => client.query(`create database ${name}`));
  const url = databaseUrl(adminUrl, name);
  const db = connectCentralDatabase(url, { max: 4 });
  if (options.migrate ?? true) await migrateCentralDatabase(db);
  return {
    url,
    db,
    drop: async () => {
      await db.$client.end();
      await admin(adminUrl, (client) =>
        client.query(`drop database if exists ${name} with (force)`),
      );
    },
  };
}

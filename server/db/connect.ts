import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '../../db/central/schema';

export type CentralDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/** A pooled connection to the central database, with snake_case column mapping. */
export function connectCentralDatabase(url: string, options: { max?: number } = {}): CentralDb {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle connection dropped by a database restart must not take the process down: the pool
  // replaces it, and the request that needed it gets an error answer.
  pool.on('error', () => undefined);
  // pg-pool listens for that only while a connection is idle: one dropped while checked out
  // between two queries (inside a transaction) would emit an unhandled 'error' and end the
  // process. Its next query fails instead, and the pool discards it on release.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return drizzle({ client: pool, schema, casing: 'snake_case' });
}

import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { DatabaseFromTheFutureError, newestKnownMigration } from '../migration-journal';
import { ensureFeedTriggers } from './feed-triggers';

export const CENTRAL_MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Brings Postgres to this build's schema and the change feed to this build's catalog; refuses a
 * database migrated by a newer build.
 */
export async function migrateCentralDatabase(
  db: NodePgDatabase<Record<string, unknown>>,
  migrationsFolder = CENTRAL_MIGRATIONS,
): Promise<void> {
  const known = newestKnownMigration(migrationsFolder);
  const journal = await db.execute<{ exists: boolean }>(
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as exists`,
  );
  if (journal.rows[0]?.exists) {
    const newest = await db.execute<{ newest: string | null }>(
      sql`select max(created_at)::text as newest from drizzle.__drizzle_migrations`,
    );
    const appliedAt = Number(newest.rows[0]?.newest ?? 0);
    if (appliedAt > known.when) {
      throw new DatabaseFromTheFutureError('The central database', appliedAt, known.when);
    }
  }
  await migrate(db, { migrationsFolder });
  // Triggers are not part of drizzle's schema: each synced table of the catalog gets its own here.
  await ensureFeedTriggers(db);
}

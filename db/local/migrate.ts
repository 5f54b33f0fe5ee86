import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { DatabaseFromTheFutureError, newestKnownMigration } from '../migration-journal';

export const LOCAL_MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Brings the replica to this build's schema. A replica written by a newer build is refused
 * before anything runs, so an accidental downgrade cannot damage it.
 */
export function migrateLocalDatabase(
  db: BetterSQLite3Database<Record<string, unknown>>,
  migrationsFolder = LOCAL_MIGRATIONS,
): void {
  const known = newestKnownMigration(migrationsFolder);
  const hasJournal = db.get(
    sql`select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'`,
  );
  if (hasJournal) {
    const row = db.get<{ newest: number | null }>(
      sql`select max(created_at) as newest from __drizzle_migrations`,
    );
    if (row.newest !== null && row.newest > known.when) {
      throw new DatabaseFromTheFutureError('This workstation database', row.newest, known.when);
    }
  }
  migrate(db, { migrationsFolder });
}

import Database, { type Database as SqliteDatabase } from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrateLocalDatabase } from './migrate';
import * as schema from './schema';

export type LocalDb = BetterSQLite3Database<typeof schema> & { $client: SqliteDatabase };

/**
 * Opens (creating if needed) the workstation replica and migrates it.
 * WAL lets readers (the ward board) run beside the writer; synchronous=FULL makes every
 * committed clinical entry survive a power cut, which a ward cannot re-enter from memory.
 */
export function openLocalDatabase(file: string): LocalDb {
  const sqlite = new Database(file);
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = drizzle({ client: sqlite, schema, casing: 'snake_case' });
    migrateLocalDatabase(db);
    return db;
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

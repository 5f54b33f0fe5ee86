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
export interface OpenOptions {
  /**
   * Hold the file for this connection alone (the desktop app): a second Wardline on the same
   * data folder then fails at once instead of two writers interleaving device sequences.
   */
  exclusive?: boolean;
}

export function openLocalDatabase(file: string, options: OpenOptions = {}): LocalDb {
  const sqlite = new Database(file, { timeout: options.exclusive ? 250 : 5000 });
  try {
    if (options.exclusive) sqlite.pragma('locking_mode = EXCLUSIVE');
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    // 64 MB of page cache instead of SQLite's 2 MB: the board and charts are read all shift from
    // a replica of a whole hospital, and their index and row pages then stay in the process.
    sqlite.pragma('cache_size = -65536');
    if (options.exclusive) sqlite.exec('BEGIN IMMEDIATE; COMMIT');
    const db = drizzle({ client: sqlite, schema, casing: 'snake_case' });
    migrateLocalDatabase(db);
    return db;
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

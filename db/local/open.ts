// `better-sqlite3` is installed as an alias of `better-sqlite3-multiple-ciphers` (package.json):
// the same API, with SQLite3 Multiple Ciphers' page encryption compiled in.
import Database, { type Database as SqliteDatabase, SqliteError } from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrateLocalDatabase } from './migrate';
import * as schema from './schema';

export type LocalDb = BetterSQLite3Database<typeof schema> & { $client: SqliteDatabase };

/** The replica's key: 32 random bytes, given to SQLite as a raw key (no passphrase KDF). */
export const REPLICA_KEY_BYTES = 32;

/**
 * Opens (creating if needed) the workstation replica and migrates it.
 * WAL lets readers (the ward board) run beside the writer; synchronous=FULL makes every
 * committed clinical entry survive a power cut, which a ward cannot re-enter from memory.
 */
export interface OpenOptions {
  /**
   * The replica's key. `null` opens a plaintext file: only the bench's unencrypted baseline and
   * the tests that build a replica as versions before issue 11 wrote it.
   */
  key: Buffer | null;
  /**
   * Hold the file for this connection alone (the desktop app): a second Wardline on the same
   * data folder then fails at once instead of two writers interleaving device sequences.
   */
  exclusive?: boolean;
}

/** The key does not open this file: another machine's replica, or its key was replaced. */
export class ReplicaKeyMismatchError extends Error {
  readonly code = 'replica_key_mismatch';
  constructor(file: string) {
    super(`The key given does not open ${file}.`);
    this.name = 'ReplicaKeyMismatchError';
  }
}

export function openLocalDatabase(file: string, options: OpenOptions): LocalDb {
  const sqlite = new Database(file, { timeout: options.exclusive ? 250 : 5000 });
  try {
    if (options.key) unlockReplica(sqlite, file, options.key);
    if (options.exclusive) sqlite.pragma('locking_mode = EXCLUSIVE');
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    // 64 MB of page cache instead of SQLite's 2 MB: the board and charts are read all shift from
    // a replica of a whole hospital, and their index and row pages then stay in the process.
    sqlite.pragma('cache_size = -65536');
    // Sorts and temporary tables that spill are not encrypted by SQLite3 Multiple Ciphers:
    // keep them in memory, never in the system's temp folder.
    sqlite.pragma('temp_store = MEMORY');
    if (options.exclusive) sqlite.exec('BEGIN IMMEDIATE; COMMIT');
    const db = drizzle({ client: sqlite, schema, casing: 'snake_case' });
    migrateLocalDatabase(db);
    return db;
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

/**
 * Gives the connection the replica's key and proves it opens the file before anything writes:
 * a wrong key must leave the file as it was. A new (empty) file is encrypted from its first page.
 */
export function unlockReplica(sqlite: SqliteDatabase, file: string, key: Buffer): void {
  requireEncryptingSqlite(sqlite);
  applyReplicaCipher(sqlite);
  sqlite.pragma(`key = "${rawKey(key)}"`);
  try {
    sqlite.prepare('select count(*) from sqlite_master').get();
  } catch (error) {
    if (error instanceof SqliteError && error.code === 'SQLITE_NOTADB') {
      throw new ReplicaKeyMismatchError(file);
    }
    throw error;
  }
}

/**
 * AEGIS-256: authenticated encryption (a page altered on disk fails to read rather than
 * returning forged rows) and, with the CPU's AES instructions, the cheapest of the library's
 * ciphers. SQLCipher's AES-256-CBC + HMAC-SHA512 was measured beside it (npm run bench --quick):
 * a first pull into it ran at 0.75× the unencrypted speed (AEGIS: 1.0×) and encrypting a 354 MB
 * replica took 12.8 s (AEGIS: 3.9–6.1 s). The cipher is not recorded in the file, so changing it
 * needs a migration.
 */
export function applyReplicaCipher(sqlite: SqliteDatabase): void {
  sqlite.pragma(`cipher = 'aegis'`);
}

/** SQLite3 Multiple Ciphers' raw-key form: the bytes are the key, no passphrase derivation runs. */
export function rawKey(key: Buffer): string {
  if (key.length !== REPLICA_KEY_BYTES) {
    throw new Error(`A replica key is ${REPLICA_KEY_BYTES} bytes, not ${key.length}.`);
  }
  return `x'${key.toString('hex')}'`;
}

/**
 * A plain better-sqlite3 (installed by mistake over the alias) would take `PRAGMA key` as an
 * unknown pragma and write patient data in clear: refuse to run on one.
 */
function requireEncryptingSqlite(sqlite: SqliteDatabase): void {
  // Plain SQLite answers an unknown pragma with no rows; this one reads no page of the file.
  const cipher = sqlite.pragma('cipher') as unknown[];
  if (cipher.length === 0) {
    throw new Error(
      'This build of Wardline has a SQLite without encryption (better-sqlite3 instead of better-sqlite3-multiple-ciphers), so it will not open patient data. Reinstall it with `npm ci`.',
    );
  }
}

/**
 * The workstation's replica in the app's data folder. Opening it migrates it; a replica another
 * Wardline holds, or one written by a newer Wardline, is refused with a sentence and left as is.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteError } from 'better-sqlite3';
import { openLocalDatabase, type LocalDb } from '../db/local/open';
import { DatabaseFromTheFutureError } from '../db/migration-journal';
import { WardError } from './errors';

export const REPLICA_FILE = 'wardline.db';

export function openReplica(dataDir: string): LocalDb {
  mkdirSync(dataDir, { recursive: true });
  try {
    return openLocalDatabase(join(dataDir, REPLICA_FILE), { exclusive: true });
  } catch (error) {
    if (
      error instanceof SqliteError &&
      (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED')
    ) {
      throw new WardError(
        'replica_in_use',
        'Wardline is already open on this computer with the same data folder. Switch to that window, or close it and try again.',
        'locked',
      );
    }
    if (error instanceof DatabaseFromTheFutureError) {
      throw new WardError('database_from_newer_version', error.message, 'conflict');
    }
    throw error;
  }
}

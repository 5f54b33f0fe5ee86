/**
 * The workstation's replica, encrypted at rest (issue 11): every patient of the hospital, the
 * outbox, the audit chain and the verifiers of everyone who signed in here. Opening it makes the
 * key on first start, encrypts a replica left in plaintext by an older Wardline, keeps the data
 * folder and its files owner-only, and migrates the schema. A replica another Wardline holds,
 * one written by a newer Wardline, or one the key does not open is refused with a sentence and
 * left as it was.
 */
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
} from 'node:fs';
import { dirname } from 'node:path';
import Database, { SqliteError } from 'better-sqlite3';
import {
  discardInterruptedEncryption,
  encryptPlaintextReplica,
  isPlaintextReplica,
} from '../db/local/encrypt-plaintext';
import {
  openLocalDatabase,
  ReplicaKeyMismatchError,
  unlockReplica,
  type LocalDb,
} from '../db/local/open';
import { DatabaseFromTheFutureError } from '../db/migration-journal';
import { WardError } from './errors';
import { readSalvage, restoreSalvage } from './sync/salvage';
import {
  fileReplicaKeyStore,
  newReplicaKey,
  replicaKeyFile,
  type ReplicaKeyStore,
} from './replica-key';

export const REPLICA_FILE = 'wardline.db';

export interface ReplicaOptions {
  /** Where the key lives: the OS key store in the desktop app, a 0600 file elsewhere. */
  keys: ReplicaKeyStore;
  /** Hold the file for this connection alone (the desktop app). */
  exclusive?: boolean;
}

export function openReplica(file: string, options: ReplicaOptions): LocalDb {
  restrictDataFolder(dirname(file));
  try {
    const key = replicaKey(file, options.keys);
    if (isPlaintextReplica(file)) encryptPlaintextReplica(file, key);
    else discardInterruptedEncryption(file);
    restrictReplicaFiles(file);
    // Held by another Wardline: fail as fast as the exclusive open itself would (db/local/open.ts).
    const problems = checkIntegrity(file, key, { busyTimeoutMs: options.exclusive ? 250 : 5000 });
    if (problems.length > 0) return salvageDamagedReplica(file, key, problems, options);
    return openLocalDatabase(file, { key, exclusive: options.exclusive ?? false });
  } catch (error) {
    throw refusalFor(error, file, options.keys);
  }
}

/**
 * SQLite's quick check of the whole file (every page's structure, not index contents) before
 * anything else reads or writes it: a damaged replica found now is set aside whole, instead of
 * failing some later write or, worse, answering a chart with what a damaged page says. Its cost
 * grows with the replica (docs/WORKSTATION.md "Integrity at start" has the figures).
 */
export function checkIntegrity(
  file: string,
  key: Buffer,
  options: { busyTimeoutMs?: number } = {},
): string[] {
  if (!holdsData(file)) return [];
  const sqlite = new Database(file, {
    fileMustExist: true,
    timeout: options.busyTimeoutMs ?? 5000,
  });
  try {
    unlockReplica(sqlite, file, key);
    const rows = sqlite.pragma('quick_check(20)') as { quick_check: string }[];
    return rows.map((row) => row.quick_check).filter((line) => line !== 'ok');
  } catch (error) {
    if (isDamage(error)) return [error instanceof Error ? error.message : String(error)];
    throw error;
  } finally {
    sqlite.close();
  }
}

/** A page that does not read (AEGIS refuses a page altered on disk) or a broken structure. */
function isDamage(error: unknown): boolean {
  return error instanceof SqliteError && error.code.startsWith('SQLITE_CORRUPT');
}

/**
 * Moves the damaged replica (with its WAL) aside, opens a fresh one and puts into it what could
 * be read of what only this workstation had (main/sync/salvage.ts). The next sync pulls the
 * hospital's record again and sends the salvaged changes.
 */
function salvageDamagedReplica(
  file: string,
  key: Buffer,
  problems: string[],
  options: ReplicaOptions,
): LocalDb {
  const at = new Date();
  const movedTo = `${file}.damaged-${at.toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(`${file}${suffix}`)) renameSync(`${file}${suffix}`, `${movedTo}${suffix}`);
  }
  restrictReplicaFiles(file);
  const db = openLocalDatabase(file, { key, exclusive: options.exclusive ?? false });
  restoreSalvage(db, readSalvage(movedTo, key), { movedTo, problems, at });
  return db;
}

/** The browser harness, tests and the web demo: the key in a 0600 file beside the replica. */
export function openReplicaWithKeyFile(
  file: string,
  options: { exclusive?: boolean } = {},
): LocalDb {
  return openReplica(file, { keys: fileReplicaKeyStore(replicaKeyFile(file)), ...options });
}

/**
 * A key is made only for a replica that holds nothing encrypted yet: an encrypted replica
 * whose key has gone stays locked rather than being shadowed by a new, useless key.
 */
function replicaKey(file: string, keys: ReplicaKeyStore): Buffer {
  const stored = keys.read();
  if (stored) return stored;
  if (holdsData(file) && !isPlaintextReplica(file)) {
    throw new WardError(
      'replica_key_missing',
      `Wardline cannot open this computer's patient data: ${file} is encrypted but its key (${keys.location}) is missing, so nothing was opened or changed. Restore the key from this computer's backup; if there is none, move the data folder aside and enroll the workstation again (entries not yet sent to the server would be lost).`,
      'forbidden',
    );
  }
  const key = newReplicaKey();
  keys.write(key);
  return key;
}

function holdsData(file: string): boolean {
  return existsSync(file) && statSync(file).size > 0;
}

/** Owner-only, whatever the umask: other accounts on a shared ward PC must not read it. */
function restrictDataFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/**
 * SQLite gives a new -wal, -shm and -journal the mode of the database file, so the file is
 * created 0600 before SQLite first opens it; files from an older Wardline are tightened.
 */
function restrictReplicaFiles(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    if (existsSync(path)) chmodSync(path, 0o600);
  }
}

function refusalFor(error: unknown, file: string, keys: ReplicaKeyStore): unknown {
  if (
    error instanceof SqliteError &&
    (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED')
  ) {
    return new WardError(
      'replica_in_use',
      'Wardline is already open on this computer with the same data folder. Switch to that window, or close it and try again.',
      'locked',
    );
  }
  if (error instanceof DatabaseFromTheFutureError) {
    return new WardError('database_from_newer_version', error.message, 'conflict');
  }
  if (error instanceof ReplicaKeyMismatchError) {
    return new WardError(
      'replica_key_mismatch',
      `Wardline cannot open this computer's patient data: the key in ${keys.location} does not open ${file}, so nothing was opened or changed. If the key or the data folder was copied from another computer, put this computer's own back; if it is lost, move the data folder aside and enroll the workstation again (entries not yet sent to the server would be lost).`,
      'forbidden',
    );
  }
  return error;
}

/**
 * Encrypts a replica written by a Wardline before issue 11 (a plaintext SQLite file), in place
 * and crash-safe: the encrypted copy is built beside it under another name and renamed over it
 * in one atomic step, so at every instant one complete replica holds the ward's unsynced work.
 * The copy's file (`<replica>.encrypting`) is the marker of an unfinished run: the next start
 * deletes it and encrypts again from the plaintext, which is untouched until the rename.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import Database, { type Database as SqliteDatabase } from 'better-sqlite3';
import { unlockReplica } from './open';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export const encryptingCopyOf = (file: string): string => `${file}.encrypting`;

/** True for a replica whose first page is readable without a key. */
export function isPlaintextReplica(file: string): boolean {
  if (!existsSync(file)) return false;
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    const read = readSync(fd, header, 0, header.length, 0);
    return read === header.length && header.equals(SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
}

/** Deletes what an interrupted run left (the partial copy and its journal), never the replica. */
export function discardInterruptedEncryption(file: string): void {
  const copy = encryptingCopyOf(file);
  for (const leftover of [copy, `${copy}-journal`, `${copy}-wal`, `${copy}-shm`]) {
    rmSync(leftover, { force: true });
  }
}

/**
 * Encrypts the plaintext replica `file` with `key`. Every table, row, index, the AUTOINCREMENT
 * high-water marks (the outbox's device sequence must never repeat, or the server would take a
 * new entry for one it already has) and the user version are carried over.
 */
export function encryptPlaintextReplica(file: string, key: Buffer): void {
  discardInterruptedEncryption(file);
  foldWalIntoFile(file);
  const copy = encryptingCopyOf(file);
  // Created owner-only before SQLite opens it; its journal takes the same mode.
  writeFileSync(copy, '', { mode: 0o600 });
  const sealed = new Database(copy);
  try {
    unlockReplica(sealed, copy, key);
    copyEverything(sealed, file);
  } finally {
    sealed.close();
  }
  syncFile(copy);
  renameSync(copy, file);
  syncDirectory(dirname(file));
}

/**
 * Checkpoints the plaintext replica's WAL into its main file and leaves it in rollback mode, so
 * no plaintext `-wal` or `-shm` survives beside the encrypted file (a stale WAL would otherwise
 * be replayed onto it).
 */
function foldWalIntoFile(file: string): void {
  const plain = new Database(file, { timeout: 250 });
  try {
    plain.pragma('wal_checkpoint(TRUNCATE)');
    plain.pragma('journal_mode = DELETE');
  } finally {
    plain.close();
  }
}

function copyEverything(sealed: SqliteDatabase, plaintextFile: string): void {
  // KEY '' attaches the old file as plaintext (without it the main key would be tried).
  sealed.prepare(`attach database ? as plain key ''`).run(plaintextFile);
  const objects = sealed
    .prepare(
      `select type, name, sql from plain.sqlite_master
       where sql is not null and name not like 'sqlite_%' order by rowid`,
    )
    .all() as { type: string; name: string; sql: string }[];
  const userVersion = Number(sealed.pragma('plain.user_version', { simple: true }));
  // An exact copy of rows that already met their constraints, created table by table in the
  // old file's order: a child table may come before its parent.
  sealed.pragma('foreign_keys = OFF');
  sealed.transaction(() => {
    for (const table of objects.filter((o) => o.type === 'table')) {
      sealed.exec(table.sql);
      const name = quoteIdentifier(table.name);
      sealed.exec(`insert into main.${name} select * from plain.${name}`);
    }
    const hasSequence = sealed
      .prepare(`select 1 from plain.sqlite_master where name = 'sqlite_sequence'`)
      .get();
    if (hasSequence) {
      sealed.exec('delete from main.sqlite_sequence');
      sealed.exec('insert into main.sqlite_sequence select * from plain.sqlite_sequence');
    }
    // Indexes after the rows: one sorted build each instead of updates row by row.
    for (const other of objects.filter((o) => o.type !== 'table')) sealed.exec(other.sql);
    copyPlannerStatistics(sealed);
    sealed.pragma(`user_version = ${userVersion}`);
  })();
  sealed.exec('detach database plain');
}

/**
 * ANALYZE's statistics, where the old file has them: without them the copy's query planner
 * would choose other (slower) plans than the original's. `analyze sqlite_schema` creates the
 * empty statistics tables, which cannot be created by name.
 */
function copyPlannerStatistics(sealed: SqliteDatabase): void {
  const tables = sealed
    .prepare(
      `select name from plain.sqlite_master where type = 'table' and name like 'sqlite_stat%'`,
    )
    .pluck()
    .all() as string[];
  if (tables.length === 0) return;
  sealed.exec('analyze sqlite_schema');
  for (const table of tables) {
    sealed.exec(
      `delete from main.${table}; insert into main.${table} select * from plain.${table}`,
    );
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function syncFile(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes the rename survive a power cut; Windows has no directory handle to flush. */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  syncFile(dir);
}

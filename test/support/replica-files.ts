/**
 * Looking at a replica's files the way someone who took the disk would: raw bytes, modes, and
 * (with the key from its 0600 key file) its rows, bypassing Wardline's open path.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import Database, { type Database as SqliteDatabase } from 'better-sqlite3';
import { unlockReplica } from '../../db/local/open';
import { fileReplicaKeyStore, replicaKeyFile } from '../../main/replica-key';

/** The replica and its WAL and shared-memory files, as bytes (absent files are empty). */
export function replicaBytes(file: string): { db: Buffer; wal: Buffer; shm: Buffer } {
  const read = (path: string) => (existsSync(path) ? readFileSync(path) : Buffer.alloc(0));
  return { db: read(file), wal: read(`${file}-wal`), shm: read(`${file}-shm`) };
}

/** A digest per file (replica, -wal, -shm, and any extra paths), to compare before and after. */
export function replicaDigests(file: string, ...extra: string[]): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const path of [file, `${file}-wal`, `${file}-shm`, ...extra]) {
    digests[path] = existsSync(path)
      ? createHash('sha256').update(readFileSync(path)).digest('hex')
      : 'absent';
  }
  return digests;
}

export function modeOf(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}

/** A raw connection unlocked with the key beside the replica (the harness's key file). */
export function openUnlocked(file: string): SqliteDatabase {
  const key = fileReplicaKeyStore(replicaKeyFile(file)).read();
  if (!key) throw new Error(`no key beside ${file}`);
  const sqlite = new Database(file);
  unlockReplica(sqlite, file, key);
  return sqlite;
}

/** Every row of every table, the AUTOINCREMENT marks, the schema and the user version. */
export function dumpReplica(sqlite: SqliteDatabase): Record<string, unknown> {
  const objects = sqlite
    .prepare(`select type, name, sql from sqlite_master order by type, name`)
    .all() as { type: string; name: string; sql: string | null }[];
  const rows: Record<string, string[]> = {};
  for (const table of objects.filter((o) => o.type === 'table')) {
    rows[table.name] = sqlite
      .prepare(`select * from "${table.name}"`)
      .all()
      .map((row) => JSON.stringify(row))
      .sort();
  }
  return { objects, rows, userVersion: sqlite.pragma('user_version', { simple: true }) };
}

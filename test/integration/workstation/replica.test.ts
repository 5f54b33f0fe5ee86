import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_MIGRATIONS } from '../../../db/local/migrate';
import { WardError } from '../../../main/errors';
import { openReplica, REPLICA_FILE } from '../../../main/replica';
import { fileReplicaKeyStore, replicaKeyFile } from '../../../main/replica-key';
import { openUnlocked } from '../../support/replica-files';

function refusal(open: () => unknown): WardError {
  try {
    open();
  } catch (error) {
    if (error instanceof WardError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the replica file', () => {
  let dir: string;
  let file: string;
  // As the desktop app opens it: exclusive, the key kept beside it (here in a 0600 file).
  const open = () =>
    openReplica(file, { keys: fileReplicaKeyStore(replicaKeyFile(file)), exclusive: true });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wardline-store-'));
    file = join(dir, 'data', REPLICA_FILE);
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is durable WAL with synchronous=FULL and migrated on open', () => {
    const db = open();
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.$client.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.$client.pragma('temp_store', { simple: true })).toBe(2);
    expect(db.$client.prepare('select count(*) as n from __drizzle_migrations').get()).toEqual({
      n: readdirSync(LOCAL_MIGRATIONS).filter((f) => f.endsWith('.sql')).length,
    });
    db.$client.close();
  });

  it('refuses a second instance on the same data folder with a clear message', () => {
    const first = open();
    const refused = refusal(open);
    expect(refused.code).toBe('replica_in_use');
    expect(refused.message).toMatch(/already open on this computer/);
    first.$client.close();
    open().$client.close();
  });

  it('refuses a replica written by a newer version and changes nothing', () => {
    open().$client.close();
    const raw = openUnlocked(file);
    raw
      .prepare("insert into __drizzle_migrations (hash, created_at) values ('future', ?)")
      .run(Date.parse('2099-01-01'));
    const before = raw.prepare('select count(*) as n from __drizzle_migrations').get();
    raw.close();
    const refused = refusal(open);
    expect(refused.code).toBe('database_from_newer_version');
    expect(refused.message).toMatch(/newer version of Wardline/);
    const after = openUnlocked(file);
    expect(after.prepare('select count(*) as n from __drizzle_migrations').get()).toEqual(before);
    after.close();
  });
});

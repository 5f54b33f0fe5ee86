/**
 * Issue 11: a stolen ward PC must not give up its patients. What a thief would read is the bytes
 * of the replica, its WAL and its shared-memory file; none of them may hold a name or an MRN,
 * and a wrong or missing key opens nothing and changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalDatabase, type LocalDb } from '../../../db/local/open';
import { seedLocalDatabase } from '../../../db/local/seed';
import { DEMO_HOSPITAL_ID, demoUserId } from '../../../db/seed/demo-data';
import { newSigningKey } from '../../../main/auth/signing-keys';
import { systemClock } from '../../../main/clock';
import { WardError } from '../../../main/errors';
import { openReplica, openReplicaWithKeyFile, REPLICA_FILE } from '../../../main/replica';
import { fileReplicaKeyStore, newReplicaKey, replicaKeyFile } from '../../../main/replica-key';
import { addReservedMrns } from '../../../main/services/mrn-pool';
import { registerPatient } from '../../../main/services/patients';
import { fileTokenStore } from '../../../main/sync/device-token';
import { modeOf, replicaBytes, replicaDigests } from '../../support/replica-files';

const PATIENTS = [
  { firstName: 'Philippa', lastName: 'Quenby-Marchetti', mrn: 'NGH-QX7731' },
  { firstName: 'Oluwaseun', lastName: 'Abernathy', mrn: 'NGH-QX7732' },
  { firstName: 'Wojciech', lastName: 'Thistlewood', mrn: 'NGH-QX7733' },
];
const NEEDLES = PATIENTS.flatMap((p) => [p.firstName, p.lastName, p.mrn]);

/** A reception desk registers the known patients, under the known MRNs, through the write path. */
function registerKnownPatients(db: LocalDb): void {
  seedLocalDatabase(db, { demo: true });
  addReservedMrns(
    db,
    PATIENTS.map((p) => p.mrn),
  );
  const context = {
    db,
    clock: systemClock,
    actor: {
      userId: demoUserId('reception@hass.example'),
      hospitalId: DEMO_HOSPITAL_ID,
      signer: newSigningKey(demoUserId('reception@hass.example')).signer,
    },
  };
  for (const { firstName, lastName } of PATIENTS) {
    registerPatient(context, { firstName, lastName, dateOfBirth: '1961-02-03', sex: 'female' });
  }
}

function needlesIn(bytes: Buffer): string[] {
  return NEEDLES.filter((needle) => bytes.includes(Buffer.from(needle, 'utf8')));
}

function refusal(open: () => unknown): WardError {
  try {
    open();
  } catch (error) {
    if (error instanceof WardError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the replica at rest', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wardline-at-rest-'));
    file = join(dir, 'data', REPLICA_FILE);
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the names and MRNs in a plaintext file (the search below can find them)', () => {
    mkdirSync(join(dir, 'data'));
    const db = openLocalDatabase(file, { key: null });
    registerKnownPatients(db);
    const { wal } = replicaBytes(file);
    db.$client.close();
    expect(needlesIn(Buffer.concat([wal, replicaBytes(file).db]))).toEqual(NEEDLES);
  });

  it('holds no patient name or MRN in the replica, its WAL or its shared memory', () => {
    const db = openReplicaWithKeyFile(file);
    registerKnownPatients(db);
    // While open, the fresh rows are in the WAL and its index in -shm.
    const open = replicaBytes(file);
    expect(open.wal.length).toBeGreaterThan(0);
    expect(open.shm.length).toBeGreaterThan(0);
    expect(needlesIn(open.wal)).toEqual([]);
    expect(needlesIn(open.shm)).toEqual([]);
    expect(needlesIn(open.db)).toEqual([]);
    db.$client.close();

    const closed = replicaBytes(file);
    expect(needlesIn(closed.db)).toEqual([]);
    expect(closed.db.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    // …and the rows are all there for the right key.
    const reopened = openReplicaWithKeyFile(file);
    const mrns = reopened.$client
      .prepare(`select mrn from patients where mrn like 'NGH-QX77%' order by mrn`)
      .pluck()
      .all();
    expect(mrns).toEqual(PATIENTS.map((p) => p.mrn));
    reopened.$client.close();
  });

  it('refuses a wrong key with a sentence, and leaves the replica and key byte-identical', () => {
    const db = openReplicaWithKeyFile(file);
    registerKnownPatients(db);
    db.$client.close();
    const keyFile = replicaKeyFile(file);
    fileReplicaKeyStore(keyFile).write(newReplicaKey());
    const before = replicaDigests(file, keyFile);

    const refused = refusal(() => openReplicaWithKeyFile(file, { exclusive: true }));
    expect(refused.code).toBe('replica_key_mismatch');
    expect(refused.message).toContain(keyFile);
    expect(refused.message).toMatch(/nothing was opened or changed/);
    expect(replicaDigests(file, keyFile)).toEqual(before);
  });

  it('refuses a missing key, makes no new one, and leaves the replica byte-identical', () => {
    openReplicaWithKeyFile(file).$client.close();
    const keyFile = replicaKeyFile(file);
    rmSync(keyFile);
    const before = replicaDigests(file);

    const refused = refusal(() => openReplicaWithKeyFile(file));
    expect(refused.code).toBe('replica_key_missing');
    expect(refused.message).toMatch(/is encrypted but its key .* is missing/);
    expect(existsSync(keyFile)).toBe(false);
    expect(replicaDigests(file)).toEqual(before);
  });

  it('refuses a damaged key file without touching the replica', () => {
    openReplicaWithKeyFile(file).$client.close();
    writeFileSync(replicaKeyFile(file), 'not a key\n');
    const before = replicaDigests(file);
    expect(refusal(() => openReplicaWithKeyFile(file)).code).toBe('replica_key_unreadable');
    expect(replicaDigests(file)).toEqual(before);
  });

  it('keeps the data folder 0700 and the replica, WAL, SHM, key and token files 0600', () => {
    // A folder and replica left open to everyone, as an older Wardline (or an installer) made them.
    mkdirSync(join(dir, 'data'), { mode: 0o755 });
    chmodSync(join(dir, 'data'), 0o755);
    openReplicaWithKeyFile(file).$client.close();
    chmodSync(file, 0o644);

    const db = openReplicaWithKeyFile(file);
    registerKnownPatients(db);
    const tokens = fileTokenStore(join(dir, 'data', 'device-token'));
    tokens.write('device-token-for-the-test');
    expect(modeOf(join(dir, 'data'))).toBe('700');
    for (const path of [
      file,
      `${file}-wal`,
      `${file}-shm`,
      replicaKeyFile(file),
      join(dir, 'data', 'device-token'),
    ]) {
      expect([path, modeOf(path)]).toEqual([path, '600']);
    }
    db.$client.close();
  });

  it('opens exclusively as the desktop app does, its key wherever the key store keeps it', () => {
    const keys = fileReplicaKeyStore(join(dir, 'wrapped-key'));
    const db = openReplica(file, { keys, exclusive: true });
    registerKnownPatients(db);
    const open = replicaBytes(file);
    expect(open.wal.length).toBeGreaterThan(0);
    expect(needlesIn(Buffer.concat([open.db, open.wal, open.shm]))).toEqual([]);
    expect(modeOf(`${file}-wal`)).toBe('600');
    db.$client.close();
    expect(existsSync(replicaKeyFile(file))).toBe(false);
    expect(modeOf(join(dir, 'wrapped-key'))).toBe('600');
  });
});

/**
 * A ward PC updated to the first Wardline that encrypts: its replica, written in plaintext by
 * the version before, is encrypted in place on first start with nothing lost — the unsent
 * outbox and its device sequence, the audit chain, open conflicts, cached credentials — and the
 * plaintext gone. A start interrupted half-way (a power cut, a killed process) finishes on the
 * next one.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encryptingCopyOf, isPlaintextReplica } from '../../../db/local/encrypt-plaintext';
import { openLocalDatabase, type LocalDb } from '../../../db/local/open';
import { cachedCredentials, syncConflicts } from '../../../db/local/schema';
import { seedLocalDatabase } from '../../../db/local/seed';
import { DEMO_HOSPITAL_ID, demoUserId } from '../../../db/seed/demo-data';
import { newSigningKey } from '../../../main/auth/signing-keys';
import { systemClock } from '../../../main/clock';
import { openReplicaWithKeyFile, REPLICA_FILE } from '../../../main/replica';
import { verifyDeviceAuditChain } from '../../../main/services/audit';
import { addReservedMrns } from '../../../main/services/mrn-pool';
import { registerPatient } from '../../../main/services/patients';
import { recordVitals } from '../../../main/services/vitals';
import { dumpReplica, modeOf, replicaBytes } from '../../support/replica-files';

const CHILD = fileURLToPath(new URL('./support/open-replica-child.ts', import.meta.url));

/**
 * A day on an older Wardline: a patient registered and vitals charted (outbox, audit chain), all
 * acknowledged but one the server rejected (the device sequence, 6, is now past the outbox's
 * rows), a conflict left open, a nurse's cached credential. Returns the connection, still open.
 */
function olderWardlineDay(file: string, extraOutboxRows = 0): LocalDb {
  mkdirSync(join(file, '..'), { recursive: true });
  const db = openLocalDatabase(file, { key: null });
  seedLocalDatabase(db, { demo: true });
  addReservedMrns(db, ['NGH-UP0001', 'NGH-UP0002']);
  const nurse = {
    db,
    clock: systemClock,
    actor: {
      userId: demoUserId('nurse@hass.example'),
      hospitalId: DEMO_HOSPITAL_ID,
      signer: newSigningKey(demoUserId('nurse@hass.example')).signer,
    },
  };
  const reception = demoUserId('reception@hass.example');
  registerPatient(
    {
      ...nurse,
      actor: { ...nurse.actor, userId: reception, signer: newSigningKey(reception).signer },
    },
    { firstName: 'Marguerite', lastName: 'Oyelaran', dateOfBirth: '1948-07-30', sex: 'female' },
  );
  const visitId = db.$client
    .prepare(`select id from visits where status = 'admitted' limit 1`)
    .pluck()
    .get() as string;
  for (let i = 0; i < 5; i += 1) recordVitals(nurse, { visitId, heartRate: 70 + i, spo2: 97 });
  db.$client
    .exec(`update outbox set status = 'rejected', reason_code = 'stale' where device_seq = 3;
                   delete from outbox where device_seq <> 3`);
  db.insert(syncConflicts)
    .values({
      id: 'conflict-1',
      mutationId: 'mutation-1',
      tableName: 'patients',
      rowId: 'row-1',
      reasonCode: 'same_field',
      localValues: { phone: '+44 7700 900001' },
      serverValues: { phone: '+44 7700 900002' },
    })
    .run();
  db.insert(cachedCredentials)
    .values({
      userId: demoUserId('nurse@hass.example'),
      email: 'nurse@hass.example',
      verifier: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo',
      cachedAt: '2026-11-23T08:00:00.000Z',
      expiresAt: '2026-12-07T08:00:00.000Z',
    })
    .run();
  // The query planner's statistics, which the encrypted copy must keep to plan as the original.
  db.$client.exec('analyze');
  if (extraOutboxRows > 0) {
    // Bulk, so a killed encryption has something to be in the middle of.
    db.$client
      .prepare(
        `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
         insert into outbox (mutation_id, user_id, table_name, op, row_id, data, client_time)
         select 'bulk-' || i, 'user', 'vitals', 'insert', 'row-' || i,
                json_object('notes', hex(randomblob(120))), '2026-11-23T08:00:00.000Z' from n`,
      )
      .run(extraOutboxRows);
  }
  return db;
}

function plaintextDump(file: string): Record<string, unknown> {
  const db = openLocalDatabase(file, { key: null });
  try {
    return dumpReplica(db.$client);
  } finally {
    db.$client.close();
  }
}

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('a plaintext replica from an older Wardline', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wardline-upgrade-'));
    file = join(dir, 'data', REPLICA_FILE);
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is encrypted in place on first start, with nothing lost', () => {
    olderWardlineDay(file).$client.close();
    const before = plaintextDump(file);
    const sequence = (before.rows as Record<string, string[]>).sqlite_sequence;
    expect(sequence).toContainEqual(JSON.stringify({ name: 'outbox', seq: 6 }));

    const db = openReplicaWithKeyFile(file);
    expect(isPlaintextReplica(file)).toBe(false);
    expect(dumpReplica(db.$client)).toEqual(before);
    expect(verifyDeviceAuditChain(db)).toEqual([]);
    // The device sequence goes on from where it was, never reusing an acknowledged number.
    const visitId = db.$client
      .prepare(`select id from visits where status = 'admitted' limit 1`)
      .pluck()
      .get() as string;
    recordVitals(
      {
        db,
        clock: systemClock,
        actor: {
          userId: demoUserId('nurse@hass.example'),
          hospitalId: DEMO_HOSPITAL_ID,
          signer: newSigningKey(demoUserId('nurse@hass.example')).signer,
        },
      },
      { visitId, heartRate: 88 },
    );
    expect(db.$client.prepare('select max(device_seq) from outbox').pluck().get()).toBe(7);
    db.$client.close();

    const bytes = replicaBytes(file);
    expect(bytes.db.includes('Oyelaran')).toBe(false);
    expect(bytes.db.includes('$argon2id$')).toBe(false);
    expect(readdirSync(join(dir, 'data')).sort()).toEqual([REPLICA_FILE, `${REPLICA_FILE}.key`]);
    expect(modeOf(file)).toBe('600');
  });

  it('left mid-encryption by a power cut (its WAL unfolded, a partial copy) is finished on the next start', () => {
    const db = olderWardlineDay(file);
    // A crash image: the older Wardline's files as they were on disk while it ran.
    const crashed = join(dir, 'crashed');
    mkdirSync(crashed);
    for (const suffix of ['', '-wal', '-shm']) {
      cpSync(`${file}${suffix}`, join(crashed, `${REPLICA_FILE}${suffix}`));
    }
    db.$client.close();
    const before = plaintextDump(file);
    rmSync(join(dir, 'data'), { recursive: true });
    cpSync(crashed, join(dir, 'data'), { recursive: true });
    expect(existsSync(`${file}-wal`)).toBe(true);
    // …and the encryption of the first start had begun: a partial copy and its journal.
    writeFileSync(encryptingCopyOf(file), Buffer.alloc(8192, 7));
    writeFileSync(`${encryptingCopyOf(file)}-journal`, Buffer.alloc(512, 1));

    const reopened = openReplicaWithKeyFile(file);
    expect(dumpReplica(reopened.$client)).toEqual(before);
    reopened.$client.close();
    expect(readdirSync(join(dir, 'data')).sort()).toEqual([REPLICA_FILE, `${REPLICA_FILE}.key`]);
  });

  it('killed mid-encryption (SIGKILL) keeps its plaintext whole, and the next start finishes', async () => {
    olderWardlineDay(file, 100_000).$client.close();
    const before = digest(plaintextDump(file));

    const outcome = await killWhileEncrypting(file);
    expect(outcome).toBe('killed mid-encryption');
    expect(isPlaintextReplica(file)).toBe(true);
    expect(existsSync(encryptingCopyOf(file))).toBe(true);
    expect(digest(plaintextDump(file))).toBe(before);

    const reopened = openReplicaWithKeyFile(file);
    expect(digest(dumpReplica(reopened.$client))).toBe(before);
    reopened.$client.close();
    expect(isPlaintextReplica(file)).toBe(false);
    expect(existsSync(encryptingCopyOf(file))).toBe(false);
  });
});

/** Starts a Wardline on `file` and SIGKILLs it once its encrypted copy has pages on disk. */
function killWhileEncrypting(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const folder = join(file, '..');
    const copy = encryptingCopyOf(file);
    // Node itself with tsx's loader, not the tsx wrapper: SIGKILL of the wrapper would leave its
    // Node child running on.
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const watcher = watch(folder, () => {
      if (existsSync(`${copy}-journal`) && child.exitCode === null) child.kill('SIGKILL');
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      watcher.close();
      resolve(signal === 'SIGKILL' ? 'killed mid-encryption' : `ended on its own: ${output}`);
    });
  });
}

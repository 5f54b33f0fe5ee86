/**
 * Every change signed by the person who made it (SYNC-PROTOCOL.md "Authorship"), end to end with
 * two enrolled workstations and the real server: people sign in for real (their key is made,
 * sealed and registered at the first online sign-in, unsealed offline), and a rogue client holding
 * a copied device token, a nurse passing a change off as the doctor's, a tampered change, a
 * replayed batch and a cloned workstation all change nothing.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import argon2 from 'argon2';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalDb } from '../../../db/local/open';
import { outbox, signingKeys, visits } from '../../../db/local/schema';
import { DEMO_USERS, demoUserId } from '../../../db/seed/demo-data';
import { createAppCaller } from '../../../main/api/router';
import type { ServerAuth } from '../../../main/auth/server-auth';
import { renewSigningKeyAfterPasswordChange } from '../../../main/auth/password-change';
import { newSigningKey, type Signer } from '../../../main/auth/signing-keys';
import { openReplicaWithKeyFile } from '../../../main/replica';
import { replicaKeyFile } from '../../../main/replica-key';
import { fileTokenStore } from '../../../main/sync/device-token';
import { SyncEngine } from '../../../main/sync/engine';
import { outboxMutation } from '../../../main/sync/outbox-mutation';
import { readSyncState } from '../../../main/sync/sync-state';
import { httpServerAuth } from '../../../main/sync/server-auth';
import { createSyncTransport, TransportError } from '../../../main/sync/transport';
import { createWorkstation, type Workstation } from '../../../main/workstation';
import { mutationSigningText } from '../../../shared/authorship';
import type { Mutation } from '../../../shared/protocol';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

const nurse = { email: 'nurse@hass.example', password: 'nurse123' };
const doctor = { email: 'doctor@hass.example', password: 'doctor123' };
const reception = { email: 'reception@hass.example', password: 'reception123' };
const nurseId = demoUserId(nurse.email);
const doctorId = demoUserId(doctor.email);

/** A workstation people sign in on, whose server can be cut off for sign-in. */
interface Desk {
  station: TestWorkstation;
  workstation: Workstation;
  caller: ReturnType<typeof createAppCaller>;
  online: { value: boolean };
}

function deskOn(station: TestWorkstation): Desk {
  const online = { value: true };
  const server = httpServerAuth(() => station.engine.transport());
  const serverAuth: ServerAuth = {
    login: (email, password, key) =>
      online.value
        ? server.login(email, password, key)
        : Promise.resolve({ status: 'unreachable' }),
  };
  const workstation = createWorkstation({ db: station.db, serverAuth, sync: station.engine });
  return { station, workstation, caller: createAppCaller(workstation), online };
}

const admittedVisit = (db: LocalDb, index = 0) => {
  const visit = db
    .select()
    .from(visits)
    .where(eq(visits.status, 'admitted'))
    .orderBy(visits.id)
    .all()[index];
  if (!visit) throw new Error('no admitted visit');
  return visit;
};

const pendingMutations = (db: LocalDb): Mutation[] =>
  db
    .select()
    .from(outbox)
    .where(eq(outbox.status, 'pending'))
    .orderBy(asc(outbox.deviceSeq))
    .all()
    .map(outboxMutation);

describe('two enrolled workstations, people signing in for real', () => {
  let server: CentralServer;
  let ward: Desk;
  let desk: Desk;
  const query = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    (await server.database.db.$client.query<T>(sql, params)).rows;
  const registeredKeys = async (deviceId: string | null, userId: string) =>
    (
      await query<{ public_key: string }>(
        'select public_key from signing_keys where device_id = $1 and user_id = $2 order by registered_at, id',
        [deviceId, userId],
      )
    ).map((row) => row.public_key);
  const vitalsCount = async () =>
    Number((await query<{ n: string }>('select count(*) as n from vitals'))[0]?.n);

  beforeAll(async () => {
    server = await startCentralServer();
    ward = deskOn(
      await enrolledWorkstation('auth-ward', server.url, await server.enrollmentCode()),
    );
    desk = deskOn(
      await enrolledWorkstation('auth-desk', server.url, await server.enrollmentCode()),
    );
  });
  afterAll(async () => {
    await ward.station.close();
    await desk.station.close();
    await server.close();
  });

  it('the first online sign-in makes a key, seals it and registers it for this workstation only', async () => {
    await ward.caller.auth.login(nurse);
    const stored = ward.station.db
      .select()
      .from(signingKeys)
      .where(and(eq(signingKeys.userId, nurseId), isNull(signingKeys.retiredAt)))
      .all();
    expect(stored).toHaveLength(1);
    const wardId = readSyncState(ward.station.db).deviceId;
    expect(await registeredKeys(wardId, nurseId)).toEqual([stored[0]?.publicKey]);
    expect(await registeredKeys(readSyncState(desk.station.db).deviceId, nurseId)).toEqual([]);
    // Signing in again opens the same key: nothing new is made or registered.
    await ward.caller.auth.logout();
    await ward.caller.auth.login(nurse);
    expect(await registeredKeys(wardId, nurseId)).toEqual([stored[0]?.publicKey]);
  });

  it('offline, the key is unsealed by the password; what is charted is signed and accepted later', async () => {
    await ward.caller.auth.logout();
    ward.online.value = false;
    const session = await ward.caller.auth.login(nurse);
    expect(session.mode).toBe('offline');
    expect(ward.workstation.sessions.signer()?.publicKey).toBe(
      (await registeredKeys(readSyncState(ward.station.db).deviceId, nurseId))[0],
    );
    await ward.caller.vitals.record({ visitId: admittedVisit(ward.station.db).id, heartRate: 91 });
    expect(pendingMutations(ward.station.db).every((m) => m.signature !== undefined)).toBe(true);
    ward.online.value = true;
    const before = await vitalsCount();
    expect(await ward.station.sync()).toMatchObject({ ok: true, pushed: 1 });
    expect(await vitalsCount()).toBe(before + 1);
  });

  it('a lock keeps the key in memory, signing out drops it', async () => {
    const signer = ward.workstation.sessions.signer();
    expect(signer).not.toBeNull();
    await ward.caller.auth.lock();
    expect(ward.workstation.sessions.signer()).toBe(signer);
    await ward.caller.auth.unlock(nurse);
    expect(ward.workstation.sessions.signer()?.publicKey).toBe(signer?.publicKey);
    await ward.caller.auth.logout();
    expect(ward.workstation.sessions.signer()).toBeNull();
  });

  describe("a rogue client with the ward's device token", () => {
    const rogue = () =>
      createSyncTransport({ baseUrl: server.url, deviceToken: () => ward.station.tokens.read() });
    const change = (userId: string, signer: Signer | null, deviceSeq: number): Mutation => {
      const visit = admittedVisit(ward.station.db);
      const unsigned: Mutation = {
        mutationId: randomUUID(),
        deviceSeq,
        userId,
        table: 'vitals',
        op: 'insert',
        id: randomUUID(),
        baseVersion: null,
        data: {
          visitId: visit.id,
          patientId: visit.patientId,
          recordedAt: new Date().toISOString(),
          heartRate: 30,
          abnormal: [],
          recordedBy: userId,
        },
        clientTime: new Date().toISOString(),
      };
      return signer
        ? { ...unsigned, signature: signer.sign(mutationSigningText(unsigned)) }
        : unsigned;
    };

    it('cannot push a change as anyone, signed or not', async () => {
      const before = await vitalsCount();
      const mutations = [nurseId, doctorId, demoUserId(reception.email)].flatMap((userId, i) => [
        change(userId, null, 1_000 + 2 * i),
        change(userId, newSigningKey(userId).signer, 1_001 + 2 * i),
      ]);
      const answer = await rogue().push({ mutations });
      expect(answer.results.map((r) => r.reason?.code)).toEqual(
        mutations.map(() => 'bad_signature'),
      );
      expect(await vitalsCount()).toBe(before);
    });

    it('cannot read the global EMR in anyone’s name', async () => {
      const patientId = admittedVisit(ward.station.db).patientId;
      const read = rogue().globalEmr(patientId, newSigningKey(doctorId).signer);
      await expect(read).rejects.toBeInstanceOf(TransportError);
      await expect(read).rejects.toMatchObject({ kind: 'unauthorized' });
    });
  });

  it("a doctor's change re-signed with the nurse's key is refused; the doctor's own is applied", async () => {
    await ward.caller.auth.login(doctor);
    await ward.caller.vitals.record({ visitId: admittedVisit(ward.station.db).id, heartRate: 77 });
    const [doctors] = pendingMutations(ward.station.db);
    if (!doctors) throw new Error('the doctor charted nothing');
    await ward.caller.auth.logout();
    await ward.caller.auth.login(nurse);
    const nurseSigner = ward.workstation.sessions.signer();
    if (!nurseSigner) throw new Error('the nurse has no key');
    const transport = ward.station.engine.transport();
    if (!transport) throw new Error('not enrolled');
    const { signature: _doctors, ...unsigned } = doctors;
    const passedOff = { ...unsigned, signature: nurseSigner.sign(mutationSigningText(unsigned)) };
    const [refused] = (await transport.push({ mutations: [passedOff] })).results;
    expect(refused).toMatchObject({ status: 'rejected', reason: { code: 'bad_signature' } });
    // A field changed after signing is no better.
    const tampered = { ...doctors, data: { ...doctors.data, heartRate: 150 } };
    const [alsoRefused] = (await transport.push({ mutations: [tampered] })).results;
    expect(alsoRefused).toMatchObject({ status: 'rejected', reason: { code: 'bad_signature' } });
    // Neither was recorded: the doctor's own change, as signed, still goes through.
    expect(await ward.station.sync()).toMatchObject({ ok: true, pushed: 1 });
    const [stored] = await query<{ heart_rate: number; updated_by: string }>(
      'select heart_rate, updated_by from vitals where id = $1',
      [doctors.id],
    );
    expect(stored).toEqual({ heart_rate: 77, updated_by: doctorId });
  });

  it('replaying an old batch changes nothing', async () => {
    await ward.caller.vitals.record({ visitId: admittedVisit(ward.station.db).id, heartRate: 64 });
    await ward.caller.vitals.record({ visitId: admittedVisit(ward.station.db).id, heartRate: 65 });
    const captured = pendingMutations(ward.station.db);
    expect(await ward.station.sync()).toMatchObject({ ok: true, pushed: 2 });
    const before = await vitalsCount();
    const transport = createSyncTransport({
      baseUrl: server.url,
      deviceToken: () => ward.station.tokens.read(),
    });
    const replay = await transport.push({ mutations: captured });
    expect(replay.results.map((result) => result.status)).toEqual(['duplicate', 'duplicate']);
    expect(await vitalsCount()).toBe(before);
  });

  it('a workstation restored from a backup cannot send new changes under used numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wardline-clone-'));
    const copy = join(dir, 'replica.db');
    try {
      // A backup as a disk image would take it: the replica's file (its WAL folded in) and key.
      ward.station.db.$client.pragma('wal_checkpoint(TRUNCATE)');
      copyFileSync(join(ward.station.dir, 'replica.db'), copy);
      copyFileSync(replicaKeyFile(join(ward.station.dir, 'replica.db')), replicaKeyFile(copy));
      copyFileSync(join(ward.station.dir, 'device-token'), join(dir, 'device-token'));
      // The original carries on and sends its next changes.
      await ward.caller.vitals.record({
        visitId: admittedVisit(ward.station.db).id,
        heartRate: 70,
      });
      expect(await ward.station.sync()).toMatchObject({ ok: true, pushed: 1 });

      const db = openReplicaWithKeyFile(copy);
      const engine = new SyncEngine({ db, tokens: fileTokenStore(join(dir, 'device-token')) });
      try {
        const clone = createAppCaller(
          createWorkstation({
            db,
            serverAuth: httpServerAuth(() => engine.transport()),
            sync: engine,
          }),
        );
        await clone.auth.login(nurse);
        const before = await vitalsCount();
        await clone.vitals.record({ visitId: admittedVisit(db).id, heartRate: 71 });
        expect((await engine.syncNow()).ok).toBe(true);
        expect(await vitalsCount()).toBe(before);
        const refused = db.select().from(outbox).where(eq(outbox.status, 'rejected')).all();
        expect(refused.map((row) => row.reasonCode)).toEqual(['sequence_reused']);
      } finally {
        await engine.stop();
        db.$client.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('after an upgrade from protocol 1, a person without a key works offline; their changes wait, listed, until they sign in online once', async () => {
    const receptionId = demoUserId(reception.email);
    // The desk as protocol 1 left it: cached passwords, and no key for the receptionist.
    await desk.caller.auth.login(nurse);
    await desk.caller.auth.logout();
    await desk.caller.auth.login(reception);
    await desk.caller.auth.logout();
    desk.station.db.delete(signingKeys).where(eq(signingKeys.userId, receptionId)).run();

    desk.online.value = false;
    const offline = await desk.caller.auth.login(reception);
    expect(offline.mode).toBe('offline');
    expect(desk.workstation.sessions.signer()).toBeNull();
    await desk.caller.patients.register({
      firstName: 'Tomas',
      lastName: 'Berg',
      dateOfBirth: '1966-09-14',
      sex: 'male',
    });
    await desk.caller.auth.logout();
    // A colleague with a key charts meanwhile: her change waits behind, to keep the order.
    await desk.caller.auth.login(nurse);
    await desk.caller.vitals.record({ visitId: admittedVisit(desk.station.db).id, heartRate: 80 });
    desk.online.value = true;

    const waiting = await desk.caller.sync.waitingForSignatures();
    const fullName = DEMO_USERS.find((user) => user.email === reception.email)?.fullName ?? '';
    expect(waiting.people).toEqual([
      expect.objectContaining({
        userId: receptionId,
        fullName,
        changes: 1,
        reason: `Waiting for ${fullName} to sign in online once.`,
      }),
    ]);
    expect(waiting.heldBehind).toBe(1);
    const patientsBefore = Number(
      (await query<{ n: string }>('select count(*) as n from patients'))[0]?.n,
    );
    expect(await desk.station.sync()).toMatchObject({ ok: true, pushed: 0 });
    expect(desk.station.engine.status().pending).toBe(2);
    // The server hears what waits here (Fleet status), though none of it can be sent yet.
    expect(
      await query('select outbox_pending from devices where id = $1', [
        readSyncState(desk.station.db).deviceId,
      ]),
    ).toEqual([{ outbox_pending: 2 }]);

    await desk.caller.auth.logout();
    await desk.caller.auth.login(reception);
    expect(desk.workstation.sessions.signer()).not.toBeNull();
    expect((await desk.caller.sync.waitingForSignatures()).people).toEqual([]);
    expect(await desk.station.sync()).toMatchObject({ ok: true, pushed: 2 });
    expect(desk.station.engine.status().pending).toBe(0);
    expect(Number((await query<{ n: string }>('select count(*) as n from patients'))[0]?.n)).toBe(
      patientsBefore + 1,
    );
  });

  it('a password changed on the server: the next online sign-in makes and registers a new key; changes signed with the old one still count', async () => {
    await ward.caller.auth.logout();
    await ward.caller.auth.login(reception);
    await ward.caller.auth.logout();
    ward.online.value = false;
    await ward.caller.auth.login(reception);
    await ward.caller.patients.register({
      firstName: 'Ines',
      lastName: 'Carvalho',
      dateOfBirth: '1980-04-02',
      sex: 'female',
    });
    const signedBefore = pendingMutations(ward.station.db);
    expect(signedBefore).toHaveLength(1);
    await ward.caller.auth.logout();
    // An administrator reset her password (a forgotten one, say).
    await query('update user_credentials set password_hash = $2 where user_id = $1', [
      demoUserId(reception.email),
      await argon2.hash('reception-new-456', { type: argon2.argon2id }),
    ]);
    ward.online.value = true;
    await ward.caller.auth.login({ email: reception.email, password: 'reception-new-456' });
    const wardId = readSyncState(ward.station.db).deviceId;
    const keys = await registeredKeys(wardId, demoUserId(reception.email));
    expect(keys).toHaveLength(2);
    expect(ward.workstation.sessions.signer()?.publicKey).toBe(keys[1]);
    const local = ward.station.db
      .select()
      .from(signingKeys)
      .where(eq(signingKeys.userId, demoUserId(reception.email)))
      .all();
    expect(local.filter((row) => row.retiredAt === null).map((row) => row.publicKey)).toEqual([
      keys[1],
    ]);
    // The change she signed with the old key before is still hers, and accepted.
    expect(await ward.station.sync()).toMatchObject({ ok: true, pushed: 1 });
    const [registered] = await query<{ updated_by: string }>(
      'select updated_by from patients where id = $1',
      [signedBefore[0]?.id],
    );
    expect(registered?.updated_by).toBe(demoUserId(reception.email));
  });

  it('a password change renews the key: registered under the new password, which alone opens it', async () => {
    await ward.caller.auth.logout();
    await ward.caller.auth.login(nurse);
    const old = ward.workstation.sessions.signer();
    await query('update user_credentials set password_hash = $2 where user_id = $1', [
      nurseId,
      await argon2.hash('nurse-new-456', { type: argon2.argon2id }),
    ]);
    const renewed = await renewSigningKeyAfterPasswordChange(ward.workstation, 'nurse-new-456');
    expect(renewed.publicKey).not.toBe(old?.publicKey);
    expect(ward.workstation.sessions.signer()).toBe(renewed);
    const wardId = readSyncState(ward.station.db).deviceId;
    expect((await registeredKeys(wardId, nurseId)).at(-1)).toBe(renewed.publicKey);
    await ward.caller.vitals.record({ visitId: admittedVisit(ward.station.db).id, heartRate: 66 });
    expect(await ward.station.sync()).toMatchObject({ ok: true, pushed: 1 });

    await ward.caller.auth.logout();
    ward.online.value = false;
    await expect(ward.caller.auth.login(nurse)).rejects.toThrow(/password is not right/);
    await ward.caller.auth.login({ email: nurse.email, password: 'nurse-new-456' });
    expect(ward.workstation.sessions.signer()?.publicKey).toBe(renewed.publicKey);
    ward.online.value = true;
    await ward.caller.auth.logout();
  });
});

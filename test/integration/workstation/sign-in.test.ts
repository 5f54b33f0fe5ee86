/**
 * Sign-in on a shared workstation: online through the server double, offline with the cached
 * verifier, lockout and idle lock on a hand-moved clock, and a user switch that starts afresh.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { asc, eq } from 'drizzle-orm';
import { cachedCredentials, loginHistory, sessions, users } from '../../../db/local/schema';
import { DEMO_HOSPITAL_ID, demoUserId } from '../../../db/seed/demo-data';
import { createAppCaller } from '../../../main/api/router';
import { createManualClock } from '../../../main/clock';
import { listStaff } from '../../../main/services/staff-accounts';
import { createWorkstation } from '../../../main/workstation';
import { createDemoServerAuth } from '../../harness/demo-server-auth';
import { createTestReplica } from '../../support/sqlite';
import { createTestWorkstation, START, writeTrail, type TestWorkstation } from './support';

const nurse = { email: 'nurse@hass.example', password: 'nurse123' };
const doctor = { email: 'doctor@hass.example', password: 'doctor123' };
const MINUTE = 60_000;

async function refusalCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError)
      return `${(error.cause as { code?: string } | undefined)?.code ?? error.code}: ${error.message}`;
    throw error;
  }
  return 'allowed';
}

describe('sign-in', () => {
  let ws: TestWorkstation;
  beforeEach(() => {
    ws = createTestWorkstation({
      offlineLoginDays: 7,
      idleLockMinutes: 5,
      maxFailedLogins: 3,
      lockoutMinutes: 15,
    });
  });
  afterEach(() => {
    ws.close();
  });

  it('caches a verifier online, then signs the same user in offline, and refuses an uncached user with a different message', async () => {
    const online = await ws.caller.auth.login(nurse);
    expect(online.mode).toBe('online');
    const cached = ws.replica.db.select().from(cachedCredentials).get();
    expect(cached?.verifier).toMatch(/^\$argon2id\$/);
    expect(cached?.verifier).not.toContain(nurse.password);
    expect(cached?.expiresAt).toBe('2026-11-30T08:00:00.000Z');
    await ws.caller.auth.logout();

    ws.serverAuth.online = false;
    const offline = await ws.caller.auth.login(nurse);
    expect(offline.mode).toBe('offline');
    expect(offline.user.fullName).toBe('Nina Patel');
    expect(
      (await ws.caller.wardBoard.get({ wardId: '17286bf6-43ed-5988-b4df-723b0b848414' })).beds,
    ).toHaveLength(8);

    const uncached = await refusalCode(ws.caller.auth.login(doctor));
    const wrong = await refusalCode(ws.caller.auth.login({ ...nurse, password: 'nurse124' }));
    expect(uncached).toMatch(/^offline_not_cached: .*has not signed in on this workstation before/);
    expect(wrong).toMatch(/^wrong_password: The password is not right/);

    ws.clock.advance(8 * 24 * 60 * MINUTE);
    expect(await refusalCode(ws.caller.auth.login(nurse))).toMatch(/^offline_login_expired/);
    const history = ws.replica.db.select().from(loginHistory).orderBy(asc(loginHistory.at)).all();
    expect(history.map((h) => `${h.mode}:${h.outcome}`)).toEqual([
      'online:success',
      'offline:success',
      'offline:not_cached',
      'offline:wrong_password',
      'offline:expired',
    ]);
  });

  it("records each sign-in here, online and offline, as the staff list's last sign-in, without writing the synced user row", async () => {
    const nurseId = demoUserId(nurse.email);
    const userRow = () => ws.replica.db.select().from(users).where(eq(users.id, nurseId)).get();
    const lastSignIn = () =>
      listStaff(ws.replica.db, DEMO_HOSPITAL_ID, ws.clock.now()).find(
        (member) => member.id === nurseId,
      )?.lastLoginAt;
    expect(lastSignIn()).toBeNull();
    const trail = writeTrail(ws);

    await ws.caller.auth.login(nurse);
    await ws.caller.auth.logout();
    expect(lastSignIn()).toBe(START.toISOString());
    ws.clock.advance(60 * MINUTE);
    ws.serverAuth.online = false;
    await ws.caller.auth.login(nurse);
    expect(lastSignIn()).toBe('2026-11-23T09:00:00.000Z');

    // The server keeps its own last online sign-in and learns of offline ones from the audit
    // chain: the workstation sends no change of the user row, and leaves its column to the pull.
    expect(userRow()?.lastLoginAt).toBeNull();
    expect(writeTrail(ws).outbox).toBe(trail.outbox);
  });

  it('locks the account after repeated wrong passwords until the lockout passes', async () => {
    await ws.caller.auth.login(nurse);
    await ws.caller.auth.logout();
    ws.serverAuth.online = false;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(await refusalCode(ws.caller.auth.login({ ...nurse, password: 'guess' }))).toMatch(
        /^wrong_password/,
      );
    }
    expect(await refusalCode(ws.caller.auth.login(nurse))).toMatch(
      /^account_locked: .*Try again after 08:15 UTC/,
    );
    ws.serverAuth.online = true;
    expect(await refusalCode(ws.caller.auth.login(nurse))).toMatch(/^account_locked/);
    ws.clock.advance(15 * MINUTE);
    expect((await ws.caller.auth.login(nurse)).mode).toBe('online');
  });

  it('locks itself when idle even while the screens keep polling', async () => {
    await ws.caller.auth.login(nurse);
    for (let minute = 0; minute < 5; minute += 1) {
      ws.clock.advance(MINUTE);
      if (minute < 4) await ws.caller.sync.status();
    }
    expect((await ws.caller.auth.session()).state).toBe('locked');
    await ws.caller.auth.unlock(nurse);
    await ws.caller.auth.logout();
  });

  it('locks itself when idle; the same user resumes, another user starts a fresh session', async () => {
    const first = await ws.caller.auth.login(nurse);
    ws.clock.advance(4 * MINUTE);
    await ws.caller.auth.reportActivity();
    ws.clock.advance(4 * MINUTE);
    expect((await ws.caller.auth.session()).state).toBe('active');
    ws.clock.advance(1 * MINUTE);
    const locked = await ws.caller.auth.session();
    expect(locked).toMatchObject({
      state: 'locked',
      sessionId: first.sessionId,
      lockedUser: { fullName: 'Nina Patel' },
    });
    expect(await refusalCode(ws.caller.wards.list())).toMatch(/^session_locked/);

    const resumed = await ws.caller.auth.unlock(nurse);
    expect(resumed.sessionId).toBe(first.sessionId);
    await ws.caller.auth.lock();
    expect(await refusalCode(ws.caller.auth.unlock({ ...doctor, password: 'nope' }))).toMatch(
      /^wrong_credentials/,
    );
    expect((await ws.caller.auth.session()).state).toBe('locked');

    const switched = await ws.caller.auth.unlock(doctor);
    expect(switched.sessionId).not.toBe(first.sessionId);
    const now = await ws.caller.auth.session();
    expect(now).toMatchObject({
      state: 'active',
      sessionId: switched.sessionId,
      user: { fullName: 'Dr Dana Okafor' },
    });
    expect(now.permissions).toContain('visits:discharge');
    expect(now.permissions).not.toContain('mar:administer');
    const rows = ws.replica.db.select().from(sessions).orderBy(asc(sessions.startedAt)).all();
    expect(rows.map((r) => r.endReason)).toEqual(['user_switched', null]);
    expect(
      ws.replica.db.select().from(sessions).where(eq(sessions.id, first.sessionId)).get()?.lockedAt,
    ).toBe('2026-11-23T08:09:00.000Z');
  });
});

describe('sign-in before the first pull', () => {
  it('is refused with a sentence about the first sync, and caches nothing', async () => {
    // A freshly enrolled replica: migrated, but no reference data (roles) pulled yet.
    const replica = createTestReplica();
    try {
      const workstation = createWorkstation({
        db: replica.db,
        clock: createManualClock(START),
        serverAuth: createDemoServerAuth(),
      });
      const refusal = await refusalCode(createAppCaller(workstation).auth.login(nurse));
      expect(refusal).toMatch(/^first_sync_pending: .*first sync is complete/);
      expect(replica.db.select().from(cachedCredentials).all()).toEqual([]);
    } finally {
      replica.close();
    }
  });
});

describe('session limits (issue 15)', () => {
  it('refuses an idle lock above 30 minutes, whoever builds the settings', () => {
    const replica = createTestReplica();
    try {
      expect(() =>
        createWorkstation({ db: replica.db, settings: { idleLockMinutes: 240 } }),
      ).toThrow(/at most 30 minutes/);
      expect(() =>
        createWorkstation({ db: replica.db, settings: { idleLockMinutes: 30 } }),
      ).not.toThrow();
    } finally {
      replica.close();
    }
  });

  it('ends a session 12 hours after sign-in however busy it is, and the person signs in again', async () => {
    const ws = createTestWorkstation({ idleLockMinutes: 30 });
    try {
      await ws.caller.auth.login(nurse);
      // Busy all shift: something done every 20 minutes, so the idle lock never comes.
      for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
        ws.clock.advance(20 * MINUTE);
        await ws.caller.auth.reportActivity();
        expect((await ws.caller.auth.session()).state).toBe('active');
      }
      ws.clock.advance(20 * MINUTE);
      expect(
        await refusalCode(
          ws.caller.wardBoard.get({ wardId: '17286bf6-43ed-5988-b4df-723b0b848414' }),
        ),
      ).toMatch(/^session_expired: Your session ended 12 hours after you signed in/);
      expect(await ws.caller.auth.session()).toMatchObject({
        state: 'signed_out',
        sessionExpired: true,
      });
      const ended = ws.replica.db.select().from(sessions).get();
      expect(ended?.endReason).toBe('expired');
      await ws.caller.auth.login(nurse);
      expect(await ws.caller.auth.session()).toMatchObject({ state: 'active' });
    } finally {
      ws.close();
    }
  });
});

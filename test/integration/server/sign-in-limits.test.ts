/**
 * Sign-in and enrollment limits (SYNC-PROTOCOL.md, `POST /v1/auth/login`): a whole hospital
 * behind one address signs in at shift change; a guesser is stopped per account (progressive
 * lockout) and per device; an unknown email answers exactly as a known one; enrollment is limited
 * per address. Passwords are hashed at OWASP's argon2id cost and older hashes renewed at sign-in.
 */
import { Writable } from 'node:stream';
import argon2 from 'argon2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoUserId } from '../../../db/seed/demo-data';
import { buildServer } from '../../../server/app';
import { FIRST_LOCKOUT_MS } from '../../../server/auth/lockout';
import { argon2idCostOf, ARGON2ID_COST } from '../../../shared/password-hash-cost';
import { LOCKED_UNTIL_UNLOCKED } from '../../../shared/sign-in-lock';
import {
  call,
  enroll,
  mutation,
  NOW,
  pushOne,
  startTestServer,
  type Device,
  type TestServer,
} from './harness';

const logLines: Record<string, unknown>[] = [];
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() !== '') logLines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  },
});

let server: TestServer;
let ward: Device;

beforeAll(async () => {
  server = await startTestServer({
    logger: { level: 'warn' },
    logDestination: logSink,
    // Fifty workstations are enrolled below from this one test address.
    attemptLimits: { enrollPerAddress: { max: 100, windowMs: 60_000 } },
  });
  ward = await enroll(server);
});
afterAll(async () => {
  await server.close();
});

const login = (device: Device, email: string, password: string) =>
  call(server, device, 'POST', '/v1/auth/login', { email, password });

const query = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  (await server.database.db.$client.query<T>(sql, params)).rows;

const at = (ms: number) => {
  server.clock.now = new Date(NOW.getTime() + ms);
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

describe('a shift change behind one address', () => {
  test('200 sign-ins from 50 workstations at one address within a minute all succeed', async () => {
    at(0);
    const devices = await Promise.all(Array.from({ length: 50 }, () => enroll(server)));
    const staff = [
      ['nurse@hass.example', 'nurse123'],
      ['doctor@hass.example', 'doctor123'],
      ['reception@hass.example', 'reception123'],
      ['pharmacist@hass.example', 'pharmacist123'],
    ] as const;
    const started = performance.now();
    // Ten at a time: every workstation of the hospital signing in over the same minute.
    const statuses: number[] = [];
    const attempts = devices.flatMap((device) => staff.map((person) => ({ device, person })));
    for (let index = 0; index < attempts.length; index += 10) {
      const wave = attempts.slice(index, index + 10);
      const answers = await Promise.all(
        wave.map(({ device, person }) => login(device, person[0], person[1])),
      );
      statuses.push(...answers.map((answer) => answer.status));
    }
    const seconds = (performance.now() - started) / 1000;
    console.info(`200 sign-ins from 50 devices at one address: ${seconds.toFixed(1)} s`);
    expect(statuses).toHaveLength(200);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });

  test('one device is limited, with Retry-After, whatever the account', async () => {
    at(0);
    const kiosk = await enroll(server);
    const answers = [];
    for (let attempt = 0; attempt < 31; attempt += 1) {
      answers.push(await login(kiosk, `visitor${attempt}@hass.example`, 'guess'));
    }
    expect(answers.slice(0, 30).every((answer) => answer.status === 401)).toBe(true);
    expect(answers[30]).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    expect(answers[30]?.headers.get('retry-after')).toMatch(/^\d+$/);
    // The right password does not get through a device's limit either; the next minute does.
    expect((await login(kiosk, 'nurse@hass.example', 'nurse123')).status).toBe(429);
    at(60_000);
    expect((await login(kiosk, 'nurse@hass.example', 'nurse123')).status).toBe(200);
  });
});

describe('progressive lockout of one account', () => {
  const email = 'labtech@hass.example';
  const userId = demoUserId(email);
  const guess = async (devices: Device[], count: number) => {
    for (let attempt = 0; attempt < count; attempt += 1) {
      const device = devices[attempt % devices.length] ?? ward;
      expect((await login(device, email, `guess-${attempt}`)).status).toBe(401);
    }
  };
  const lockedUntil = async () =>
    (
      await query<{ locked_until: Date | null }>('select locked_until from users where id = $1', [
        userId,
      ])
    )[0]?.locked_until ?? null;

  test('a guessing run from several workstations locks it; each lockout doubles; the third needs an administrator', async () => {
    at(0);
    const spread = await Promise.all([enroll(server), enroll(server), enroll(server)]);
    await guess(spread, 5);
    const first = await login(ward, email, 'labtech123');
    expect(first).toMatchObject({ status: 401, body: { error: { code: 'account_locked' } } });
    expect((first.body.error as { message: string }).message).toContain('15 minutes');
    expect(await lockedUntil()).toEqual(new Date(NOW.getTime() + FIRST_LOCKOUT_MS));

    at(FIRST_LOCKOUT_MS + 1000);
    await guess(spread, 5);
    const second = await login(ward, email, 'labtech123');
    expect((second.body.error as { message: string }).message).toContain('30 minutes');
    expect(await lockedUntil()).toEqual(
      new Date(NOW.getTime() + FIRST_LOCKOUT_MS + 1000 + 2 * FIRST_LOCKOUT_MS),
    );

    at(3 * FIRST_LOCKOUT_MS + 2000);
    await guess(spread, 5);
    at(3 * 86_400_000);
    const third = await login(ward, email, 'labtech123');
    expect(third).toMatchObject({ status: 401, body: { error: { code: 'account_locked' } } });
    expect((third.body.error as { message: string }).message).toContain('administrator');
    expect((await lockedUntil())?.toISOString()).toBe(LOCKED_UNTIL_UNLOCKED);
  });

  test("the Admin screen's unlock, an ordinary users update, opens it and restarts the doubling", async () => {
    at(3 * 86_400_000);
    expect((await login(ward, email, 'labtech123')).body).toMatchObject({
      error: { code: 'account_locked' },
    });
    const version = (
      await query<{ version: number }>('select version from users where id = $1', [userId])
    )[0]?.version;
    const unlock = await pushOne(
      server,
      ward,
      mutation({
        table: 'users',
        op: 'update',
        id: userId,
        // The super administrator, as the Admin screen's unlock pushes it.
        userId: demoUserId('admin@hass.example'),
        baseVersion: version ?? 1,
        data: { failedLoginCount: 0, lockedUntil: null },
      }),
    );
    expect(unlock.status).toBe('applied');
    expect(await query('select * from sign_in_locks where email = $1', [email])).toEqual([]);
    expect((await login(ward, email, 'labtech123')).status).toBe(200);
    await guess([ward], 5);
    const again = await login(ward, email, 'labtech123');
    expect((again.body.error as { message: string }).message).toContain('15 minutes');
  });

  test('two server processes count together: the state is in PostgreSQL', async () => {
    at(0);
    const second = await buildServer({
      pool: server.database.db.$client,
      logger: false,
      now: () => server.clock.now,
    });
    const via = (app: 'first' | 'second', password: string) =>
      app === 'first'
        ? login(ward, 'manager@hass.example', password)
        : second
            .inject({
              method: 'POST',
              url: '/v1/auth/login',
              headers: { authorization: `Bearer ${ward.token}` },
              payload: { email: 'manager@hass.example', password },
            })
            .then((answer) => ({
              status: answer.statusCode,
              body: answer.json<Record<string, unknown>>(),
            }));
    try {
      for (const app of ['first', 'second', 'first', 'second', 'first'] as const) {
        expect((await via(app, 'wrong')).status).toBe(401);
      }
      expect(await via('second', 'manager123')).toMatchObject({
        status: 401,
        body: { error: { code: 'account_locked' } },
      });
    } finally {
      await second.close();
    }
  });
});

describe('no answer says whether an email exists', () => {
  test('a wrong password and an unknown email: same status, same body', async () => {
    at(0);
    const unknown = await login(ward, 'no.one@hass.example', 'whatever1');
    const wrong = await login(ward, 'doctor@hass.example', 'not-it');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  test('an unknown email is locked like an account: the same account_locked answer', async () => {
    at(0);
    const device = await enroll(server);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await login(device, 'ghost@hass.example', 'guess');
      await login(device, 'pharmacist@hass.example', 'guess');
    }
    const ghost = await login(device, 'ghost@hass.example', 'guess');
    const real = await login(device, 'pharmacist@hass.example', 'pharmacist123');
    expect(ghost).toMatchObject({ status: 401, body: { error: { code: 'account_locked' } } });
    expect(ghost.body).toEqual(real.body);
  });

  test('and in comparable time: an unknown email costs an argon2 verification too', async () => {
    at(0);
    const device = await enroll(server);
    // Accounts no earlier test left locked.
    const known = ['regional@hass.example', 'reception@hass.example', 'nurse@hass.example'];
    const unknownTimes: number[] = [];
    const knownTimes: number[] = [];
    const time = async (email: string) => {
      const started = performance.now();
      expect((await login(device, email, 'not-the-password')).status).toBe(401);
      return performance.now() - started;
    };
    // Interleaved, so both see the same load; four failures per account stay under the lockout.
    for (let round = 0; round < 4; round += 1) {
      for (const email of known) {
        unknownTimes.push(await time(`nobody${round}.${email}`));
        knownTimes.push(await time(email));
      }
    }
    const ratio = median(unknownTimes) / median(knownTimes);
    console.info(
      `sign-in refusal, median of 12: unknown email ${median(unknownTimes).toFixed(1)} ms, wrong password ${median(knownTimes).toFixed(1)} ms (ratio ${ratio.toFixed(2)})`,
    );
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  test('a refused sign-in is logged at warn with device and user ids, never the password or token', () => {
    const refused = logLines.filter((line) => line.msg === 'request refused');
    const wrong = refused.find((line) => line.userId === demoUserId('doctor@hass.example'));
    expect(wrong).toMatchObject({ level: 40, deviceId: ward.id, code: 'unauthorized' });
    expect(refused.some((line) => line.code === 'account_locked')).toBe(true);
    expect(refused.some((line) => line.code === 'rate_limited')).toBe(true);
    const everything = JSON.stringify(logLines);
    for (const secret of ['not-it', 'labtech123', 'whatever1', ward.token]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('enrollment is limited per address', () => {
  test('beyond the limit a client address gets 429, whatever X-Forwarded-For claims', async () => {
    const limited = await startTestServer({
      attemptLimits: { enrollPerAddress: { max: 3, windowMs: 60_000 } },
    });
    try {
      const attempt = (forwardedFor: string) =>
        fetch(`${limited.url}/v1/devices/enroll`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
          body: JSON.stringify({ code: 'not-a-code', deviceName: 'Guess' }),
        });
      const statuses = [];
      for (let index = 0; index < 4; index += 1) {
        statuses.push((await attempt(`10.0.0.${index}`)).status);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
      expect((await attempt('10.9.9.9')).headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await limited.close();
    }
  });
});

describe('password hashes at OWASP argon2id cost', () => {
  const costOf = async (email: string) => {
    const [row] = await query<{ password_hash: string }>(
      `select c.password_hash from user_credentials c join users u on u.id = c.user_id
        where u.email = $1`,
      [email],
    );
    return argon2idCostOf(row?.password_hash ?? '');
  };

  test('the stored hashes are argon2id with m ≥ 19456 KiB, t ≥ 2, p = 1', async () => {
    const cost = await costOf('nurse@hass.example');
    expect(cost).toEqual(ARGON2ID_COST);
    expect(cost?.memoryCost).toBeGreaterThanOrEqual(19_456);
    expect(cost?.timeCost).toBeGreaterThanOrEqual(2);
    expect(cost?.parallelism).toBe(1);
  });

  test('a weaker hash is made again at the next successful sign-in, not at a failed one', async () => {
    at(0);
    const email = 'nurse.sgh@hass.example';
    const weak = await argon2.hash('nurse123', {
      type: argon2.argon2id,
      memoryCost: 4096,
      timeCost: 1,
      parallelism: 1,
    });
    await query('update user_credentials set password_hash = $2 where user_id = $1', [
      demoUserId(email),
      weak,
    ]);
    const south = await enroll(server, 'SGH');
    expect((await login(south, email, 'wrong-one')).status).toBe(401);
    expect(await costOf(email)).toEqual({ memoryCost: 4096, timeCost: 1, parallelism: 1 });
    expect((await login(south, email, 'nurse123')).status).toBe(200);
    expect(await costOf(email)).toEqual(ARGON2ID_COST);
    expect((await login(south, email, 'nurse123')).status).toBe(200);
  });
});

/**
 * Password change and administrator's reset (Wardline extensions, docs/SYNC.md "Passwords"):
 * a change is proven by the current password; a reset by a signed request of someone holding
 * users:manage; the old password stops working at once, the temporary one only leads to a new
 * one, and the person's users row carries a higher credential version to every workstation.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoUserId } from '../../../db/seed/demo-data';
import { TEMPORARY_PASSWORD_VALID_HOURS } from '../../../shared/passwords';
import {
  call,
  doctorId,
  enroll,
  mutation,
  nurseId,
  pullAll,
  pushOne,
  requestAs,
  startTestServer,
  type Device,
  type TestServer,
} from './harness';

let server: TestServer;
let ward: Device;
const regionalId = demoUserId('regional@hass.example');

beforeAll(async () => {
  server = await startTestServer();
  ward = await enroll(server);
});
afterAll(async () => {
  await server.close();
});

const login = (email: string, password: string) =>
  call(server, ward, 'POST', '/v1/auth/login', { email, password });
const change = (email: string, currentPassword: string, newPassword: string) =>
  call(server, ward, 'POST', '/v1/auth/password', { email, currentPassword, newPassword });
const reset = (adminId: string, userId: string) =>
  requestAs(server, ward, adminId, 'POST', `/v1/staff/${userId}/password-reset`);

const query = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  (await server.database.db.$client.query<T>(sql, params)).rows;

async function pulledVersion(userId: string): Promise<unknown> {
  const changes = (await pullAll(server, ward)).changes.filter(
    (item) => item.table === 'users' && item.id === userId,
  );
  return changes.at(-1)?.row.credentialVersion;
}

describe('changing one’s own password', () => {
  test('the current password proves the person; the old one then fails and the new one works', async () => {
    const before = await pulledVersion(doctorId);
    const wrong = await change('doctor@hass.example', 'not-my-password', 'a-new-password-1');
    expect(wrong.status).toBe(401);
    expect((await login('doctor@hass.example', 'doctor123')).status).toBe(200);

    const changed = await change('doctor@hass.example', 'doctor123', 'a-new-password-1');
    expect(changed.status).toBe(200);
    expect(changed.body.credentialVersion).toBe(Number(before) + 1);
    expect((await login('doctor@hass.example', 'doctor123')).status).toBe(401);
    expect((await login('doctor@hass.example', 'a-new-password-1')).status).toBe(200);
    // Every workstation of the hospital learns the new version by pull.
    expect(await pulledVersion(doctorId)).toBe(changed.body.credentialVersion);
    const [stored] = await query<{ password_hash: string }>(
      'select password_hash from user_credentials where user_id = $1',
      [doctorId],
    );
    expect(stored?.password_hash.startsWith('$argon2id$')).toBe(true);
    expect(stored?.password_hash).not.toContain('a-new-password-1');
    const history = await query<{ outcome: string }>(
      'select outcome from login_history where user_id = $1 order by at, id',
      [doctorId],
    );
    expect(history.map((row) => row.outcome)).toContain('password_changed');
  });

  test('a new password shorter than the rule, or the same as the current one, is refused', async () => {
    const short = await change('doctor@hass.example', 'a-new-password-1', 'short');
    expect(short.status).toBe(400);
    expect(JSON.stringify(short.body)).toContain('at least 8 characters');
    const same = await change('doctor@hass.example', 'a-new-password-1', 'a-new-password-1');
    expect(same.status).toBe(400);
    expect((await login('doctor@hass.example', 'a-new-password-1')).status).toBe(200);
  });

  test('nobody raises a credential version by pushing a users row', async () => {
    const [nurse] = await query<{ version: number }>('select version from users where id = $1', [
      nurseId,
    ]);
    const result = await pushOne(
      server,
      ward,
      mutation({
        table: 'users',
        op: 'update',
        id: nurseId,
        userId: regionalId,
        baseVersion: nurse?.version ?? null,
        data: { credentialVersion: 99 },
      }),
    );
    expect(result.status).toBe('rejected');
    expect(result.reason?.code).toBe('forbidden');
  });
});

describe('an administrator’s reset', () => {
  test('a person without users:manage cannot reset anyone', async () => {
    const refused = await reset(doctorId, nurseId);
    expect(refused.status).toBe(403);
    expect((await login('nurse@hass.example', 'nurse123')).status).toBe(200);
  });

  test('nobody resets their own password this way', async () => {
    expect((await reset(regionalId, regionalId)).status).toBe(403);
  });

  test('the temporary password is shown once, only leads to a new password, and the old one stops', async () => {
    const before = await pulledVersion(nurseId);
    const answer = await reset(regionalId, nurseId);
    expect(answer.status).toBe(200);
    const temporary = String(answer.body.temporaryPassword);
    expect(temporary).toMatch(/^[A-Za-z2-9]{14}$/);
    expect(answer.body.credentialVersion).toBe(Number(before) + 1);
    expect(await pulledVersion(nurseId)).toBe(answer.body.credentialVersion);

    // Only a hash is kept, flagged for a change at the next sign-in.
    const [stored] = await query<{ password_hash: string; must_change_password: boolean }>(
      'select password_hash, must_change_password from user_credentials where user_id = $1',
      [nurseId],
    );
    expect(stored?.must_change_password).toBe(true);
    expect(stored?.password_hash).not.toContain(temporary);

    expect((await login('nurse@hass.example', 'nurse123')).status).toBe(401);
    const required = await login('nurse@hass.example', temporary);
    expect(required.status).toBe(403);
    expect(required.body).toMatchObject({ error: { code: 'password_change_required' } });

    const changed = await change('nurse@hass.example', temporary, 'nurse-chose-this');
    expect(changed.status).toBe(200);
    expect((await login('nurse@hass.example', temporary)).status).toBe(401);
    expect((await login('nurse@hass.example', 'nurse-chose-this')).status).toBe(200);
    const [after] = await query<{ must_change_password: boolean }>(
      'select must_change_password from user_credentials where user_id = $1',
      [nurseId],
    );
    expect(after?.must_change_password).toBe(false);
  });

  test('a temporary password unused for longer than it is valid opens nothing; a new reset does', async () => {
    const first = String((await reset(regionalId, doctorId)).body.temporaryPassword);
    // Set that many hours before the server's clock.
    const setAgo = async (hours: number) => {
      await query('update user_credentials set password_changed_at = $2 where user_id = $1', [
        doctorId,
        new Date(server.clock.now.getTime() - hours * 3_600_000),
      ]);
    };
    await setAgo(TEMPORARY_PASSWORD_VALID_HOURS - 1);
    expect((await login('doctor@hass.example', first)).body).toMatchObject({
      error: { code: 'password_change_required' },
    });

    await setAgo(TEMPORARY_PASSWORD_VALID_HOURS + 1);
    const expired = await login('doctor@hass.example', first);
    expect(expired.status).toBe(403);
    expect(expired.body).toMatchObject({ error: { code: 'temporary_password_expired' } });
    expect(JSON.stringify(expired.body)).toContain(
      'Ask an administrator to reset the password again',
    );
    const changeRefused = await change('doctor@hass.example', first, 'doctor-chose-this');
    expect(changeRefused.status).toBe(403);
    expect(changeRefused.body).toMatchObject({ error: { code: 'temporary_password_expired' } });
    const outcomes = await query<{ outcome: string }>(
      `select outcome from login_history where user_id = $1 order by at desc limit 2`,
      [doctorId],
    );
    expect(outcomes.map((row) => row.outcome)).toEqual([
      'temporary_password_expired',
      'temporary_password_expired',
    ]);

    // A right temporary password is not a failed attempt: no lockout builds up from it.
    const [lock] = await query<{ n: string }>(
      `select count(*) as n from login_history where user_id = $1 and outcome like '%locked'`,
      [doctorId],
    );
    expect(Number(lock?.n)).toBe(0);

    const second = String((await reset(regionalId, doctorId)).body.temporaryPassword);
    expect((await change('doctor@hass.example', second, 'doctor-chose-this')).status).toBe(200);
    expect((await login('doctor@hass.example', 'doctor-chose-this')).status).toBe(200);
  });

  test('the reset is recorded with who made it, never with the password', async () => {
    const records = await query<Record<string, unknown>>(
      `select * from signed_reads
        where action = 'staff.password_reset' and entity_id = $1 and user_id = $2`,
      [nurseId, regionalId],
    );
    expect(records).toEqual([
      expect.objectContaining({ user_id: regionalId, device_id: ward.id, outcome: 'answered' }),
    ]);
  });

  test('a person of another hospital is not found from this hospital’s workstation', async () => {
    const [other] = await query<{ id: string }>(
      'select id from users where hospital_id is null and id <> $1 limit 1',
      [regionalId],
    );
    if (!other) throw new Error('demo data has no second account outside the hospital');
    expect((await reset(regionalId, other.id)).status).toBe(404);
  });
});

/**
 * IT creates a staff account on the server: the first password goes in on standard input, is
 * stored only as an argon2id hash, and the new nurse signs in from an enrolled workstation.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createStaffAccount } from '../../../server/staff/create-account';
import {
  call,
  enroll,
  hospitalId,
  pullAll,
  startTestServer,
  type Device,
  type TestServer,
} from './harness';

const node = process.execPath;
const cli = ['--import', 'tsx', 'server/cli.ts'];

let server: TestServer;
let ward: Device;

beforeAll(async () => {
  server = await startTestServer();
  ward = await enroll(server);
});
afterAll(async () => {
  await server.close();
});

function createUser(
  args: string[],
  stdin: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(node, [...cli, 'create-user', ...args], {
    env: { ...process.env, DATABASE_URL: server.database.url },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      resolve({ code, stdout, stderr });
    }),
  );
}

const nurseArgs = (email: string) => [
  '--hospital',
  'NGH',
  '--email',
  email,
  '--name',
  'Nadia Brooks',
  '--role',
  'nurse',
];

const usersWithEmail = async (email: string) =>
  (await server.database.db.$client.query('select id from users where email = $1', [email]))
    .rowCount;

describe('create-user', () => {
  test('prints one JSON line; the new nurse signs in; the row syncs without any password', async () => {
    const password = 'night-shift-2026';
    const created = await createUser(nurseArgs('Nadia.Brooks@hass.example'), `${password}\n`);
    expect(created.code).toBe(0);
    expect(created.stdout.trim().split('\n')).toHaveLength(1);
    const line = JSON.parse(created.stdout) as { userId: string; email: string };
    expect(line).toEqual({
      userId: expect.any(String) as string,
      email: 'nadia.brooks@hass.example',
    });
    expect(created.stdout + created.stderr).not.toContain(password);

    const stored = await server.database.db.$client.query<{ password_hash: string }>(
      'select password_hash from user_credentials where user_id = $1',
      [line.userId],
    );
    expect(stored.rows[0]?.password_hash).toMatch(/^\$argon2id\$/);

    const login = await call(server, ward, 'POST', '/v1/auth/login', {
      email: 'nadia.brooks@hass.example',
      password,
    });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ id: line.userId, hospitalId, roles: ['nurse'] });
    expect((login.body.user as { permissions: string[] }).permissions).toContain('mar:administer');
    const wrong = await call(server, ward, 'POST', '/v1/auth/login', {
      email: 'nadia.brooks@hass.example',
      password: 'not-her-password',
    });
    expect(wrong.status).toBe(401);

    const { changes } = await pullAll(server, ward);
    const row = changes.find(
      (change) => change.table === 'users' && change.id === line.userId,
    )?.row;
    expect(row).toMatchObject({
      email: 'nadia.brooks@hass.example',
      fullName: 'Nadia Brooks',
      role: 'nurse',
      active: true,
      hospitalId,
    });
    expect(JSON.stringify(row)).not.toMatch(/password|argon2/i);
  });

  test('refuses a password under 8 characters at the console; an unknown role or hospital and a taken email create nothing', async () => {
    const short = await createUser(nurseArgs('short@hass.example'), 'abc1234\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('at least 8 characters');
    expect(await usersWithEmail('short@hass.example')).toBe(0);

    const pool = server.database.db.$client;
    const account = {
      hospitalCode: 'NGH',
      email: 'role@hass.example',
      fullName: 'R',
      role: 'nurse',
      password: 'long-enough',
    };
    await expect(createStaffAccount(pool, { ...account, role: 'wizard' })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/role/) as string,
    });
    await expect(
      createStaffAccount(pool, { ...account, hospitalCode: 'XYZ' }),
    ).rejects.toMatchObject({
      code: 'hospital_not_found',
      message: 'There is no hospital with the code XYZ.',
    });
    await expect(
      createStaffAccount(pool, { ...account, email: 'Nurse@hass.example' }),
    ).rejects.toMatchObject({ code: 'email_taken' });
    expect(await usersWithEmail('role@hass.example')).toBe(0);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashAuditEvent, GENESIS_HASH } from '../../../shared/audit-chain';
import type { AuditEvent } from '../../../shared/protocol';
import pg from 'pg';
import { demoUserId } from '../../../db/seed/demo-data';
import { buildServer } from '../../../server/app';
import { createEnrollmentCode } from '../../../server/devices/enrollment';
import { revokeDeviceFromConsole } from '../../../server/devices/revoke';
import { FIRST_LOCKOUT_MS } from '../../../server/auth/lockout';
import {
  addHospital,
  call,
  countRows,
  enroll,
  keyOf,
  mutation,
  NOW,
  nurseId,
  readAs,
  signAuditEvent,
  startTestServer,
  vitalsRow,
  type Device,
  type TestKey,
  type TestServer,
} from './harness';

let server: TestServer;
let ward: Device;

beforeAll(async () => {
  server = await startTestServer({
    attemptLimits: { signInPerDevice: { max: 12, windowMs: 60_000 } },
  });
  ward = await enroll(server);
});
afterAll(async () => {
  await server.close();
});

const login = (device: Device, email: string, password: string) =>
  call(server, device, 'POST', '/v1/auth/login', { email, password });

describe('enrolling a workstation', () => {
  test('a code works once, and not after it expires', async () => {
    const pool = server.database.db.$client;
    const { code } = await createEnrollmentCode(pool, {
      hospitalCode: 'NGH',
      now: server.clock.now,
    });
    const first = await call(server, null, 'POST', '/v1/devices/enroll', {
      code,
      deviceName: 'Reception 1',
    });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(['deviceId', 'deviceToken', 'hospitalId']);
    const again = await call(server, null, 'POST', '/v1/devices/enroll', {
      code,
      deviceName: 'Reception 2',
    });
    expect(again).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    const stale = await createEnrollmentCode(pool, {
      hospitalCode: 'NGH',
      now: new Date(NOW.getTime() - 2 * 86_400_000),
    });
    expect(
      (
        await call(server, null, 'POST', '/v1/devices/enroll', {
          code: stale.code,
          deviceName: 'Late',
        })
      ).status,
    ).toBe(401);
    const stored = await pool.query<{ token_hash: string }>(
      'select token_hash from devices where id = $1',
      [first.body.deviceId],
    );
    expect(stored.rows[0]?.token_hash).not.toBe(first.body.deviceToken);
    const codes = await pool.query<{ code_hash: string }>('select code_hash from enrollment_codes');
    expect(codes.rows.map((row) => row.code_hash)).not.toContain(code);
  });

  test('a revoked device gets 401 everywhere', async () => {
    const device = await enroll(server);
    expect((await call(server, device, 'GET', '/v1/sync/pull?limit=1')).status).toBe(200);
    await revokeDeviceFromConsole(server.database.db.$client, {
      deviceId: device.id,
      now: new Date(),
    });
    expect(await call(server, device, 'GET', '/v1/sync/pull?limit=1')).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthorized' } },
    });
    expect((await call(server, device, 'POST', '/v1/sync/push', { mutations: [] })).status).toBe(
      401,
    );
    expect((await call(server, null, 'GET', '/v1/sync/pull')).status).toBe(401);
    expect(
      (await call(server, { ...device, token: 'made-up' }, 'GET', '/v1/sync/pull')).status,
    ).toBe(401);
  });
});

describe('bad requests change nothing and answer the contract error', () => {
  test('malformed JSON, wrong types, too many mutations and an oversized body', async () => {
    const before = {
      vitals: await countRows(server, 'vitals'),
      applied: await countRows(server, 'applied_mutations'),
    };
    const malformed = await call(server, ward, 'POST', '/v1/sync/push', '{"mutations": [');
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    const wrongType = await call(server, ward, 'POST', '/v1/sync/push', {
      mutations: [
        {
          ...mutation({ table: 'vitals', op: 'insert', id: randomUUID(), data: vitalsRow() }),
          deviceSeq: 'seven',
        },
      ],
    });
    expect(wrongType).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect((wrongType.body.error as { message: string }).message).toContain(
      'mutations.0.deviceSeq',
    );
    const tooMany = Array.from({ length: 501 }, () =>
      mutation({ table: 'vitals', op: 'insert', id: randomUUID(), data: vitalsRow() }),
    );
    expect((await call(server, ward, 'POST', '/v1/sync/push', { mutations: tooMany })).status).toBe(
      400,
    );
    const huge = {
      mutations: [
        mutation({
          table: 'vitals',
          op: 'insert',
          id: randomUUID(),
          data: vitalsRow(0, { notes: 'x'.repeat(9 * 1024 * 1024) }),
        }),
      ],
    };
    const oversized = await call(server, ward, 'POST', '/v1/sync/push', huge);
    expect(oversized).toMatchObject({
      status: 413,
      body: { error: { code: 'payload_too_large' } },
    });
    expect((await call(server, ward, 'GET', '/v1/sync/pull?limit=5000')).status).toBe(400);
    expect((await call(server, ward, 'GET', '/v1/sync/pull?cursor=not-a-cursor')).status).toBe(400);
    expect(await call(server, ward, 'GET', '/v1/nowhere')).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
    expect({
      vitals: await countRows(server, 'vitals'),
      applied: await countRows(server, 'applied_mutations'),
    }).toEqual(before);
  });

  test('a body that is not JSON is a 400', async () => {
    const response = await fetch(`${server.url}/v1/sync/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ward.token}`, 'content-type': 'text/plain' },
      body: 'mutations',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });

  test('health reports the database, and 503 with db down when it is unreachable', async () => {
    expect(await call(server, null, 'GET', '/v1/health')).toMatchObject({
      status: 200,
      body: { status: 'ok', db: 'ok', protocol: 2 },
    });
    const pool = new pg.Pool({ connectionString: server.database.url, max: 1 });
    const app = await buildServer({ pool, logger: false });
    await pool.end();
    const response = await app.inject({ method: 'GET', url: '/v1/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'ok', db: 'down', protocol: 2 });
    await app.close();
  });
});

describe('staff sign in on an enrolled workstation', () => {
  test('the right password signs in with roles and permissions; a login history row is written', async () => {
    const response = await login(ward, 'nurse@hass.example', 'nurse123');
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({
      id: nurseId,
      roles: ['nurse'],
      fullName: 'Nina Patel',
    });
    expect((response.body.user as { permissions: string[] }).permissions).toContain(
      'vitals:create',
    );
    const history = await server.database.db.$client.query<{ outcome: string }>(
      'select outcome from login_history where user_id = $1',
      [nurseId],
    );
    expect(history.rows.map((row) => row.outcome)).toContain('success');
  });

  test('unknown email and wrong password answer the same 401', async () => {
    const unknown = await login(ward, 'nobody@hass.example', 'whatever1');
    const wrong = await login(ward, 'doctor@hass.example', 'not-it');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  test('repeated failures lock the account for a while, then it opens again', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await login(ward, 'pharmacist@hass.example', 'wrong')).status).toBe(401);
    }
    const locked = await login(ward, 'pharmacist@hass.example', 'pharmacist123');
    expect(locked).toMatchObject({ status: 401, body: { error: { code: 'account_locked' } } });
    server.clock.now = new Date(NOW.getTime() + FIRST_LOCKOUT_MS + 1000);
    try {
      expect((await login(ward, 'pharmacist@hass.example', 'pharmacist123')).status).toBe(200);
    } finally {
      server.clock.now = NOW;
    }
  });

  test('a user of another hospital gets 403 on this workstation', async () => {
    const other = await addHospital(server, 'EGH');
    const device = await enroll(server, 'EGH');
    expect(other.hospitalId).toBe(device.hospitalId);
    expect(await login(device, 'nurse@hass.example', 'nurse123')).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
  });

  test('too many attempts from one device are rate limited with Retry-After', async () => {
    let response = await login(ward, 'nurse@hass.example', 'nurse123');
    for (let attempt = 0; attempt < 15 && response.status !== 429; attempt += 1) {
      response = await login(ward, 'nurse@hass.example', 'nurse123');
    }
    expect(response).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('MRN reservations', () => {
  test('two devices never receive the same MRN', async () => {
    const second = await enroll(server);
    const [a, b] = await Promise.all([
      call(server, ward, 'POST', '/v1/ids/reserve', { kind: 'mrn', count: 50 }),
      call(server, second, 'POST', '/v1/ids/reserve', { kind: 'mrn', count: 50 }),
    ]);
    const values = [...(a.body.values as string[]), ...(b.body.values as string[])];
    expect(new Set(values).size).toBe(100);
    expect(values.every((value) => /^NGH-\d{6}$/.test(value))).toBe(true);
    expect(values).not.toContain('NGH-000001');
    expect(
      (await call(server, ward, 'POST', '/v1/ids/reserve', { kind: 'mrn', count: 101 })).status,
    ).toBe(400);
  });
});

describe('audit events', () => {
  const chain = (key: TestKey, count: number, startSeq = 1, prev = GENESIS_HASH): AuditEvent[] => {
    const events: AuditEvent[] = [];
    let prevHash = prev;
    for (let index = 0; index < count; index += 1) {
      const unhashed = {
        id: randomUUID(),
        deviceSeq: startSeq + index,
        at: NOW.toISOString(),
        userId: nurseId,
        action: 'chart.read',
        entity: 'patients',
        entityId: randomUUID(),
        prevHash,
      };
      const event = signAuditEvent(key, { ...unhashed, hash: hashAuditEvent(unhashed) });
      events.push(event);
      prevHash = event.hash;
    }
    return events;
  };

  test('a clean chain is accepted, a resend is a duplicate, a gap and a tampered event are stored and flagged', async () => {
    const device = await enroll(server);
    const events = chain(await keyOf(server, device, nurseId), 6);
    const [first, second, third, fourth, fifth, sixth] = events;
    if (!first || !second || !third || !fourth || !fifth || !sixth)
      throw new Error('chain too short');
    expect(
      (await call(server, device, 'POST', '/v1/audit/push', { events: [first, second] })).body,
    ).toEqual({ accepted: 2, duplicates: 0, chainBroken: false, unverified: 0 });
    expect(
      (await call(server, device, 'POST', '/v1/audit/push', { events: [second, third] })).body,
    ).toEqual({ accepted: 1, duplicates: 1, chainBroken: false, unverified: 0 });
    // The fourth event never arrives: the fifth no longer links to what the server holds.
    expect(
      (await call(server, device, 'POST', '/v1/audit/push', { events: [fifth] })).body,
    ).toEqual({ accepted: 1, duplicates: 0, chainBroken: true, unverified: 0 });
    // Edited after it was made: neither its hash nor its signature holds.
    const tampered = { ...sixth, action: 'chart.print' };
    expect(
      (await call(server, device, 'POST', '/v1/audit/push', { events: [tampered] })).body,
    ).toEqual({ accepted: 1, duplicates: 0, chainBroken: true, unverified: 1 });
    const stored = await server.database.db.$client.query<{
      device_seq: string;
      chain_issue: string | null;
    }>('select device_seq, chain_issue from audit_logs where device_id = $1 order by device_seq', [
      device.id,
    ]);
    expect(stored.rows.map((row) => [Number(row.device_seq), row.chain_issue])).toEqual([
      [1, null],
      [2, null],
      [3, null],
      [5, 'gap'],
      [6, 'hash_mismatch'],
    ]);
  });

  test('an event holding a NUL character is refused on its own; the rest is stored and the gap flagged', async () => {
    const device = await enroll(server);
    const key = await keyOf(server, device, nurseId);
    const events: AuditEvent[] = [];
    let prevHash = GENESIS_HASH;
    for (const [index, note] of ['before', 'pasted \u0000 from a scanner', 'after'].entries()) {
      const unhashed = {
        id: randomUUID(),
        deviceSeq: index + 1,
        at: NOW.toISOString(),
        userId: nurseId,
        action: 'chart.read',
        entity: 'patients',
        entityId: randomUUID(),
        after: { note },
        prevHash,
      };
      const event = signAuditEvent(key, { ...unhashed, hash: hashAuditEvent(unhashed) });
      events.push(event);
      prevHash = event.hash;
    }
    const answer = await call(server, device, 'POST', '/v1/audit/push', { events });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      accepted: 2,
      duplicates: 0,
      chainBroken: true,
      unverified: 0,
      refused: [{ id: events[1]?.id, message: expect.stringMatching(/NUL character/) as unknown }],
    });
    const stored = await server.database.db.$client.query<{
      device_seq: string;
      chain_issue: string | null;
    }>('select device_seq, chain_issue from audit_logs where device_id = $1 order by device_seq', [
      device.id,
    ]);
    expect(stored.rows.map((row) => [Number(row.device_seq), row.chain_issue])).toEqual([
      [1, null],
      [3, 'gap'],
    ]);
  });

  test("indexes each event's role, outcome and patient, and refuses to change or delete a stored event", async () => {
    const device = await enroll(server);
    const key = await keyOf(server, device, nurseId);
    const patientId = randomUUID();
    const unhashed = {
      id: randomUUID(),
      deviceSeq: 1,
      at: NOW.toISOString(),
      userId: nurseId,
      action: 'chart.read',
      entity: 'patients',
      entityId: patientId,
      after: { role: 'nurse', outcome: 'done', patientId },
      prevHash: GENESIS_HASH,
    };
    const event = signAuditEvent(key, { ...unhashed, hash: hashAuditEvent(unhashed) });
    expect(
      (await call(server, device, 'POST', '/v1/audit/push', { events: [event] })).body,
    ).toEqual({ accepted: 1, duplicates: 0, chainBroken: false, unverified: 0 });
    const central = server.database.db.$client;
    const stored = await central.query<{ patient_id: string; role: string; outcome: string }>(
      'select patient_id, role, outcome from audit_logs where id = $1',
      [event.id],
    );
    expect(stored.rows).toEqual([{ patient_id: patientId, role: 'nurse', outcome: 'done' }]);
    // Append-only whoever asks, the server's own connection included.
    await expect(
      central.query("update audit_logs set outcome = 'refused' where id = $1", [event.id]),
    ).rejects.toThrow(/append-only/);
    await expect(central.query('delete from audit_logs where id = $1', [event.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(central.query('truncate audit_logs')).rejects.toThrow(/append-only/);
    expect(await countRows(server, 'audit_logs')).toBeGreaterThan(0);
  });

  test('the access report is a signed read for audit:read only, of a patient of the hospital only', async () => {
    const device = await enroll(server);
    const manager = demoUserId('manager@hass.example');
    const patient = await server.database.db.$client.query<{ id: string }>(
      "select id from patients where mrn = 'NGH-000001'",
    );
    const path = `/v1/audit/access?patientId=${patient.rows[0]?.id ?? ''}`;
    expect((await readAs(server, device, nurseId, path)).status).toBe(403);
    const answer = await readAs(server, device, manager, path);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ truncated: false });
    expect(
      (await readAs(server, device, manager, `/v1/audit/access?patientId=${randomUUID()}`)).status,
    ).toBe(404);
    expect((await readAs(server, device, manager, '/v1/audit/access')).status).toBe(400);
  });
});

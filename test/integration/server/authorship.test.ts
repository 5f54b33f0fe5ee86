/**
 * Protocol 2 authorship on the server (SYNC-PROTOCOL.md "Authorship"): a key is registered by a
 * person's sign-in on a device; a mutation not signed by a key of (that device, its person) is
 * `bad_signature` and changes nothing; a reused sequence number is refused; reads of the global
 * EMR are signed by the reader, within five minutes, and need the permission; audit events that
 * do not verify are kept, flagged and counted. Every refusal is in the log at warn level with
 * the device and user ids, and never the token, the password or patient data.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GENESIS_HASH, hashAuditEvent } from '../../../shared/audit-chain';
import { requestSigningText, SIGNED_READ_HEADERS } from '../../../shared/authorship';
import {
  call,
  countRows,
  demoRow,
  doctorId,
  enroll,
  keyOf,
  mutation,
  NOW,
  nurseId,
  push,
  pushRaw,
  readAs,
  signAuditEvent,
  signMutation,
  startTestServer,
  testKey,
  vitalsRow,
  type Device,
  type TestKey,
  type TestServer,
} from './harness';

let server: TestServer;
let ward: Device;
const logs: Record<string, unknown>[] = [];
const logText = () => JSON.stringify(logs);

beforeAll(async () => {
  server = await startTestServer({
    logger: { level: 'warn' },
    logDestination: {
      write: (line: string) => {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  });
  ward = await enroll(server);
});
afterAll(async () => {
  await server.close();
});

const query = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  (await server.database.db.$client.query<T>(sql, params)).rows;

/** What a refused request must leave untouched. */
async function trail() {
  return {
    vitals: await countRows(server, 'vitals'),
    feed: await countRows(server, 'change_feed'),
    applied: await countRows(server, 'applied_mutations'),
    history: await countRows(server, 'row_history'),
  };
}

const vitalsInsert = (userId = nurseId, notes = 'charted at the bedside') =>
  mutation({
    table: 'vitals',
    op: 'insert',
    id: randomUUID(),
    userId,
    data: vitalsRow(0, { recordedBy: userId, notes }),
  });

/** The next deviceSeq a device may use: the harness numbers pushes in order, as an outbox does. */
async function nextSeq(device: Device): Promise<number> {
  const [row] = await query<{ seq: string | null }>(
    'select max(device_seq) as seq from applied_mutations where device_id = $1',
    [device.id],
  );
  return Number(row?.seq ?? 0) + 1;
}

async function login(device: Device, body: Record<string, unknown>) {
  return call(server, device, 'POST', '/v1/auth/login', body);
}

describe('a signing key is registered by signing in on the device', () => {
  test('the key a sign-in carries is registered for (device, person); a wrong password or a malformed key registers nothing', async () => {
    const desk = await enroll(server);
    const first = testKey(nurseId);
    const keysOf = async () =>
      (
        await query<{ public_key: string }>(
          'select public_key from signing_keys where device_id = $1 and user_id = $2 order by registered_at, id',
          [desk.id, nurseId],
        )
      ).map((row) => row.public_key);

    const wrong = await login(desk, {
      email: 'nurse@hass.example',
      password: 'not-her-password',
      signingKey: first.publicKey,
    });
    expect(wrong.status).toBe(401);
    const malformed = await login(desk, {
      email: 'nurse@hass.example',
      password: 'nurse123',
      signingKey: 'not-a-key',
    });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body)).toContain('signingKey');
    expect(await keysOf()).toEqual([]);

    // Without a key the sign-in still answers, but the person's changes from here are refused.
    expect((await login(desk, { email: 'nurse@hass.example', password: 'nurse123' })).status).toBe(
      200,
    );
    const early = signMutation(first, { ...vitalsInsert(), deviceSeq: await nextSeq(desk) });
    expect((await pushRaw(server, desk, [early]))[0]).toMatchObject({
      status: 'rejected',
      reason: { code: 'bad_signature' },
    });

    expect(
      (
        await login(desk, {
          email: 'nurse@hass.example',
          password: 'nurse123',
          signingKey: first.publicKey,
        })
      ).status,
    ).toBe(200);
    expect(await keysOf()).toEqual([first.publicKey]);
    // The refusal was not recorded: the same change, now that her key is known, is applied.
    expect((await pushRaw(server, desk, [early]))[0]).toMatchObject({ status: 'applied' });

    // A later sign-in (after a password change) registers a new key; the old one stays valid.
    const second = testKey(nurseId);
    await login(desk, {
      email: 'nurse@hass.example',
      password: 'nurse123',
      signingKey: second.publicKey,
    });
    expect(await keysOf()).toEqual([first.publicKey, second.publicKey]);
    const seq = await nextSeq(desk);
    const results = await pushRaw(server, desk, [
      signMutation(first, { ...vitalsInsert(), deviceSeq: seq }),
      signMutation(second, { ...vitalsInsert(), deviceSeq: seq + 1 }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['applied', 'applied']);
  });
});

describe('a mutation whose signature does not hold is refused and changes nothing', () => {
  let nurseKey: TestKey;
  beforeAll(async () => {
    nurseKey = await keyOf(server, ward, nurseId);
    await keyOf(server, ward, doctorId);
  });

  const refusedAlone = async (item: ReturnType<typeof vitalsInsert>) => {
    const before = await trail();
    const [result] = await pushRaw(server, ward, [item]);
    expect(result).toMatchObject({ status: 'rejected', reason: { code: 'bad_signature' } });
    expect(result?.serverRow).toBeUndefined();
    expect(await trail()).toEqual(before);
  };

  test('unsigned', async () => {
    await refusedAlone({ ...vitalsInsert(), deviceSeq: await nextSeq(ward) });
  });

  test("a doctor's change signed with the nurse's key", async () => {
    const doctors = { ...vitalsInsert(doctorId), deviceSeq: await nextSeq(ward) };
    await refusedAlone(signMutation(nurseKey, doctors));
  });

  test('a field changed after it was signed', async () => {
    const signed = signMutation(nurseKey, { ...vitalsInsert(), deviceSeq: await nextSeq(ward) });
    await refusedAlone({ ...signed, data: { ...signed.data, heartRate: 140 } });
    await refusedAlone({ ...signed, userId: doctorId });
  });

  test('a malformed signature, or a key the person registered from another device', async () => {
    const signed = signMutation(nurseKey, { ...vitalsInsert(), deviceSeq: await nextSeq(ward) });
    await refusedAlone({ ...signed, signature: 'not base64url!' });
    const elsewhere = await keyOf(server, await enroll(server), nurseId);
    await refusedAlone(
      signMutation(elsewhere, { ...vitalsInsert(), deviceSeq: await nextSeq(ward) }),
    );
  });

  test('one refused mutation does not stop the rest of its batch', async () => {
    const seq = await nextSeq(ward);
    const good = signMutation(nurseKey, { ...vitalsInsert(), deviceSeq: seq });
    const bad = { ...vitalsInsert(), deviceSeq: seq + 1 };
    const after = signMutation(nurseKey, { ...vitalsInsert(), deviceSeq: seq + 2 });
    const results = await pushRaw(server, ward, [good, bad, after]);
    expect(results.map((result) => [result.status, result.reason?.code])).toEqual([
      ['applied', undefined],
      ['rejected', 'bad_signature'],
      ['applied', undefined],
    ]);
  });

  test('each refusal is logged at warn with the device and the person, never the token or the data', () => {
    const refusals = logs.filter((line) => String(line.msg).includes('signature does not verify'));
    for (const line of refusals) {
      expect(line.level).toBe(40);
      expect(line.deviceId).toEqual(expect.any(String));
      expect([nurseId, doctorId]).toContain(line.userId);
    }
    expect(refusals.filter((line) => line.deviceId === ward.id).length).toBeGreaterThanOrEqual(6);
    expect(logText()).not.toContain(ward.token);
    expect(logText()).not.toContain('charted at the bedside');
    expect(logText()).not.toContain('nurse123');
  });
});

describe('a replayed or renumbered push', () => {
  test('replaying an old batch answers duplicate and changes nothing', async () => {
    const batch = [vitalsInsert(), vitalsInsert()];
    expect((await push(server, ward, batch)).map((result) => result.status)).toEqual([
      'applied',
      'applied',
    ]);
    const before = await trail();
    // The harness resends the very bytes it sent: the captured, signed batch.
    expect((await push(server, ward, batch)).map((result) => result.status)).toEqual([
      'duplicate',
      'duplicate',
    ]);
    expect(await trail()).toEqual(before);
    expect(logs.some((line) => String(line.msg).includes('sent again'))).toBe(true);
  });

  test('a restored or cloned workstation reusing a sequence number is refused; a jump is flagged', async () => {
    const key = await keyOf(server, ward, nurseId);
    await push(server, ward, [vitalsInsert()]);
    const highest = (await nextSeq(ward)) - 1;
    const before = await trail();
    const clone = signMutation(key, { ...vitalsInsert(), deviceSeq: highest });
    const [reused] = await pushRaw(server, ward, [clone]);
    expect(reused).toMatchObject({ status: 'rejected', reason: { code: 'sequence_reused' } });
    expect(await countRows(server, 'vitals')).toBe(before.vitals);
    // Its answer is kept like any other: sent again, it is a duplicate of that refusal.
    expect((await pushRaw(server, ward, [clone]))[0]).toMatchObject({ status: 'duplicate' });

    const jump = signMutation(key, { ...vitalsInsert(), deviceSeq: highest + 5 });
    const twin = signMutation(key, { ...vitalsInsert(), deviceSeq: highest + 5 });
    const [jumped, second] = await pushRaw(server, ward, [jump, twin]);
    expect(jumped?.status).toBe('applied');
    expect(jumped?.warnings?.map((warning) => warning.code)).toEqual(['sequence_gap']);
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'sequence_reused' } });
    expect(
      logs.some(
        (line) => String(line.msg).includes('reused device sequence') && line.deviceId === ward.id,
      ),
    ).toBe(true);
  });
});

describe('a signed read of the global EMR', () => {
  const patientId = demoRow('visits', 0).patientId as string;
  const path = `/v1/emr/global/${patientId}`;

  async function readWith(
    device: Device,
    headers: { user: string; time: string; key: TestKey | null },
  ) {
    const response = await fetch(`${server.url}${path}`, {
      headers: {
        authorization: `Bearer ${device.token}`,
        [SIGNED_READ_HEADERS.user]: headers.user,
        [SIGNED_READ_HEADERS.time]: headers.time,
        ...(headers.key
          ? {
              [SIGNED_READ_HEADERS.signature]: headers.key.sign(
                requestSigningText('GET', path, headers.time),
              ),
            }
          : {}),
      },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const reads = () =>
    query<{ user_id: string; device_id: string; entity_id: string; outcome: string }>(
      'select user_id, device_id, entity_id, outcome from signed_reads order by at, id',
    );

  test('is answered for a doctor and recorded: who, from which device, which patient', async () => {
    const answer = await readAs(server, ward, doctorId, path);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ patientId });
    expect(await reads()).toContainEqual({
      user_id: doctorId,
      device_id: ward.id,
      entity_id: patientId,
      outcome: 'answered',
    });
  });

  test('unsigned, wrongly signed or stale: 401, and nothing recorded', async () => {
    const doctorKey = await keyOf(server, ward, doctorId);
    const nurseKey = await keyOf(server, ward, nurseId);
    const now = NOW.toISOString();
    const before = (await reads()).length;
    expect((await call(server, ward, 'GET', path)).status).toBe(401);
    expect((await readWith(ward, { user: doctorId, time: now, key: null })).status).toBe(401);
    expect((await readWith(ward, { user: doctorId, time: now, key: nurseKey })).status).toBe(401);
    expect(
      (await readWith(ward, { user: doctorId, time: now, key: testKey(doctorId) })).status,
    ).toBe(401);
    const stale = new Date(NOW.getTime() - 6 * 60_000).toISOString();
    const early = new Date(NOW.getTime() + 6 * 60_000).toISOString();
    expect((await readWith(ward, { user: doctorId, time: stale, key: doctorKey })).status).toBe(
      401,
    );
    expect((await readWith(ward, { user: doctorId, time: early, key: doctorKey })).status).toBe(
      401,
    );
    const within = new Date(NOW.getTime() - 4 * 60_000).toISOString();
    expect((await readWith(ward, { user: doctorId, time: within, key: doctorKey })).status).toBe(
      200,
    );
    expect((await reads()).length).toBe(before + 1);
    const refusals = logs.filter((line) => line.msg === 'signed read refused');
    expect(refusals.length).toBeGreaterThanOrEqual(5);
    expect(refusals.every((line) => line.deviceId === ward.id && line.level === 40)).toBe(true);
  });

  test('a person without emr_global:read gets 403, and the refusal is recorded', async () => {
    const answer = await readAs(server, ward, nurseId, path);
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: { code: 'forbidden' } });
    expect(await reads()).toContainEqual({
      user_id: nurseId,
      device_id: ward.id,
      entity_id: patientId,
      outcome: 'forbidden',
    });
  });

  test('the logs name device and person, never the token nor the patient', () => {
    expect(logText()).not.toContain(ward.token);
    const readLines = JSON.stringify(logs.filter((line) => String(line.msg).includes('read')));
    expect(readLines).not.toContain(patientId);
  });
});

describe('audit events', () => {
  test('one whose signature does not verify is stored, flagged and counted unverified', async () => {
    const device = await enroll(server);
    const key = await keyOf(server, device, nurseId);
    const event = (seq: number, prevHash: string) => {
      const unhashed = {
        id: randomUUID(),
        deviceSeq: seq,
        at: NOW.toISOString(),
        userId: nurseId,
        action: 'chart.read',
        entity: 'patients',
        entityId: randomUUID(),
        prevHash,
      };
      return { ...unhashed, hash: hashAuditEvent(unhashed) };
    };
    const first = signAuditEvent(key, event(1, GENESIS_HASH));
    const second = signAuditEvent(testKey(nurseId), event(2, first.hash));
    const third = event(3, second.hash);
    const answer = await call(server, device, 'POST', '/v1/audit/push', {
      events: [first, second, third],
    });
    expect(answer.body).toEqual({ accepted: 3, duplicates: 0, chainBroken: false, unverified: 2 });
    const stored = await query<{ device_seq: string; signature_issue: string | null }>(
      'select device_seq, signature_issue from audit_logs where device_id = $1 order by device_seq',
      [device.id],
    );
    expect(stored.map((row) => [Number(row.device_seq), row.signature_issue])).toEqual([
      [1, null],
      [2, 'mismatch'],
      [3, 'missing'],
    ]);
    expect(
      logs.some(
        (line) =>
          String(line.msg).startsWith('audit: events whose signature') &&
          line.deviceId === device.id,
      ),
    ).toBe(true);
  });
});

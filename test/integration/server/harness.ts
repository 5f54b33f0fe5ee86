import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { seedCentralDatabase } from '../../../db/central/seed';
import { buildDemoData, DEMO_HOSPITAL_ID, demoUserId } from '../../../db/seed/demo-data';
import { buildServer, type ServerOptions } from '../../../server/app';
import { registerSigningKey } from '../../../server/authorship/signing-keys';
import { createEnrollmentCode } from '../../../server/devices/enrollment';
import { canonicalJson } from '../../../shared/audit-chain';
import {
  auditSigningText,
  mutationSigningText,
  requestSigningText,
  SIGNED_READ_HEADERS,
} from '../../../shared/authorship';
import {
  MutationResultSchema,
  type AuditEvent,
  type Mutation,
  type MutationResult,
  type PullResponse,
} from '../../../shared/protocol';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

export const NOW = new Date('2026-11-23T12:00:00.000Z');
export const demo = buildDemoData(NOW);
export const hospitalId = DEMO_HOSPITAL_ID;
export const nurseId = demoUserId('nurse@hass.example');
export const doctorId = demoUserId('doctor@hass.example');
export const receptionId = demoUserId('reception@hass.example');
export const labTechId = demoUserId('labtech@hass.example');

/** Demo rows by table and position, with a clear failure if the demo set ever changes shape. */
export function demoRow(table: string, index = 0): Record<string, unknown> & { id: string } {
  const row = demo[table]?.[index];
  if (!row || typeof row.id !== 'string') throw new Error(`demo data has no ${table}[${index}]`);
  return { ...row, id: row.id };
}

export interface TestServer {
  url: string;
  database: TestDatabase;
  app: FastifyInstance;
  clock: { now: Date };
  close(): Promise<void>;
}

/** What the request helpers below need of a server: where it answers, its database, its clock. */
export type ServerAddress = Pick<TestServer, 'url' | 'database' | 'clock'>;

/** A real server on 127.0.0.1 over its own migrated, demo-seeded PostgreSQL database. */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  await seedCentralDatabase(database.db, { demo: true, now: NOW });
  const clock = { now: NOW };
  const app = await buildServer({
    pool: database.db.$client,
    logger: process.env.WARDLINE_TEST_LOG ? { level: 'error' } : false,
    now: () => clock.now,
    ...options,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    app,
    clock,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

export interface Device {
  id: string;
  token: string;
  hospitalId: string;
}

export async function enroll(
  server: ServerAddress,
  hospitalCode = 'NGH',
  deviceName = `ward pc ${hospitalCode}`,
): Promise<Device> {
  const { code } = await createEnrollmentCode(server.database.db.$client, {
    hospitalCode,
    now: server.clock.now,
  });
  const response = await fetch(`${server.url}/v1/devices/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, deviceName }),
  });
  const body = (await response.json()) as {
    deviceId: string;
    deviceToken: string;
    hospitalId: string;
  };
  return { id: body.deviceId, token: body.deviceToken, hospitalId: body.hospitalId };
}

export async function call(
  server: ServerAddress,
  device: Device | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(device ? { authorization: `Bearer ${device.token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

let deviceSeq = 0;

export function mutation(
  fields: Pick<Mutation, 'table' | 'op' | 'id'> & Partial<Mutation>,
): Mutation {
  deviceSeq += 1;
  return {
    mutationId: randomUUID(),
    deviceSeq,
    userId: nurseId,
    baseVersion: null,
    data: {},
    clientTime: NOW.toISOString(),
    ...fields,
  };
}

/** A person's Ed25519 key on one device, as a workstation keeps it after their sign-in there. */
export interface TestKey {
  userId: string;
  publicKey: string;
  privateKey: KeyObject;
  sign(text: string): string;
}

export function testKey(userId: string): TestKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKey = privateKey.export({ format: 'jwk' }).x ?? '';
  return {
    userId,
    publicKey,
    privateKey,
    sign: (text) => sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64url'),
  };
}

/** What a test device signs with and how far it has numbered its mutations. */
interface DeviceAuthorship {
  keys: Map<string, TestKey>;
  lastSeq: number;
  sent: Map<string, Mutation>;
}
const authorship = new Map<string, DeviceAuthorship>();

function authorshipOf(device: Device): DeviceAuthorship {
  let state = authorship.get(device.id);
  if (!state) {
    state = { keys: new Map(), lastSeq: 0, sent: new Map() };
    authorship.set(device.id, state);
  }
  return state;
}

/**
 * The key `userId` signs with on `device`, registered on first use as their sign-in there would
 * (the registry's own function; the sign-in itself is tested in authorship.test.ts).
 */
export async function keyOf(
  server: ServerAddress,
  device: Device,
  userId: string,
): Promise<TestKey> {
  const state = authorshipOf(device);
  let key = state.keys.get(userId);
  if (!key) {
    key = testKey(userId);
    state.keys.set(userId, key);
    await registerSigningKey(server.database.db.$client, {
      deviceId: device.id,
      userId,
      publicKey: key.publicKey,
      now: server.clock.now,
    });
  }
  return key;
}

export function signMutation(key: TestKey, item: Mutation): Mutation {
  const { signature: _signature, ...unsigned } = item;
  return { ...unsigned, signature: key.sign(mutationSigningText(unsigned)) };
}

export function signAuditEvent(key: TestKey, event: AuditEvent): AuditEvent {
  const { signature: _signature, ...unsigned } = event;
  return { ...unsigned, signature: key.sign(auditSigningText(unsigned)) };
}

const content = ({ deviceSeq: _seq, signature: _signature, ...rest }: Mutation) =>
  canonicalJson(rest);

/**
 * The mutation as the device's workstation sends it: numbered in the order first pushed (a
 * workstation's outbox order) and signed by its person. Sent again, it is the same bytes, as a
 * workstation's resend is. A mutation that already carries a `signature` goes as it is.
 */
async function authored(server: ServerAddress, device: Device, item: Mutation): Promise<Mutation> {
  if (item.signature !== undefined) return item;
  const state = authorshipOf(device);
  const earlier = state.sent.get(item.mutationId);
  if (earlier && content(earlier) === content(item)) return earlier;
  if (!earlier) state.lastSeq += 1;
  const numbered = { ...item, deviceSeq: earlier?.deviceSeq ?? state.lastSeq };
  const signed = signMutation(await keyOf(server, device, item.userId), numbered);
  state.sent.set(item.mutationId, signed);
  return signed;
}

/** Sends `mutations` exactly as given: unsigned, wrongly signed, renumbered by the test. */
export async function pushRaw(
  server: ServerAddress,
  device: Device,
  mutations: Mutation[],
): Promise<MutationResult[]> {
  // Numbers a test chose itself are used up: the device's next transparent push goes past them.
  const state = authorshipOf(device);
  state.lastSeq = Math.max(state.lastSeq, ...mutations.map((item) => item.deviceSeq));
  const response = await call(server, device, 'POST', '/v1/sync/push', { mutations });
  if (response.status !== 200)
    throw new Error(`push answered ${response.status}: ${JSON.stringify(response.body)}`);
  return MutationResultSchema.array().parse(response.body.results);
}

/** A signed read made by `userId` on `device` at the server's clock. */
export function readAs(
  server: ServerAddress,
  device: Device,
  userId: string,
  path: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return requestAs(server, device, userId, 'GET', path);
}

/** A signed request (SYNC-PROTOCOL.md "Authorship") made by `userId` on `device`. */
export async function requestAs(
  server: ServerAddress,
  device: Device,
  userId: string,
  method: 'GET' | 'POST',
  path: string,
  /** A JSON body (a POST that takes one, such as the rescue relay). */
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const key = await keyOf(server, device, userId);
  const time = server.clock.now.toISOString();
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${device.token}`,
      [SIGNED_READ_HEADERS.user]: userId,
      [SIGNED_READ_HEADERS.time]: time,
      [SIGNED_READ_HEADERS.signature]: key.sign(requestSigningText(method, path, time)),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function push(
  server: ServerAddress,
  device: Device,
  mutations: Mutation[],
): Promise<MutationResult[]> {
  const signed: Mutation[] = [];
  for (const item of mutations) signed.push(await authored(server, device, item));
  const response = await call(server, device, 'POST', '/v1/sync/push', { mutations: signed });
  if (response.status !== 200)
    throw new Error(`push answered ${response.status}: ${JSON.stringify(response.body)}`);
  // The server's own schema: every reason and warning code it answers must be one it declares.
  return MutationResultSchema.array().parse(response.body.results);
}

export async function pushOne(
  server: ServerAddress,
  device: Device,
  item: Mutation,
): Promise<MutationResult> {
  const [result] = await push(server, device, [item]);
  if (!result) throw new Error('push returned no result');
  return result;
}

/** Pulls until hasMore is false, from `cursor`; returns every change and the last cursor. */
export async function pullAll(
  server: ServerAddress,
  device: Device,
  cursor?: string,
  limit = 1000,
) {
  const changes: PullResponse['changes'] = [];
  let next = cursor;
  for (;;) {
    const query = new URLSearchParams({ limit: String(limit), ...(next ? { cursor: next } : {}) });
    const response = await call(server, device, 'GET', `/v1/sync/pull?${query.toString()}`);
    if (response.status !== 200) throw new Error(`pull answered ${response.status}`);
    const page = response.body as unknown as PullResponse;
    changes.push(...page.changes);
    next = page.cursor;
    if (!page.hasMore) return { changes, cursor: next };
  }
}

export async function countRows(server: ServerAddress, table: string): Promise<number> {
  const result = await server.database.db.$client.query<{ count: string }>(
    `select count(*) from "${table}"`,
  );
  return Number(result.rows[0]?.count ?? 0);
}

/** A new vitals entry for a demo visit, valid as a whole row. */
export function vitalsRow(
  visitIndex = 0,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const visit = demoRow('visits', visitIndex);
  return {
    visitId: visit.id,
    patientId: visit.patientId,
    recordedAt: NOW.toISOString(),
    temperatureC: 37.1,
    heartRate: 82,
    systolic: 124,
    diastolic: 78,
    respiratoryRate: 16,
    spo2: 97,
    weightKg: null,
    heightCm: null,
    bmi: null,
    abnormal: [],
    recordedBy: nurseId,
    notes: null,
    enteredInErrorId: null,
    ...overrides,
  };
}

export function patientRow(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    mrn: `T-${randomUUID().slice(0, 8).toUpperCase()}`,
    firstName: 'Ada',
    lastName: 'Lovelace',
    dateOfBirth: '1990-12-10',
    sex: 'female',
    phone: null,
    email: null,
    address: null,
    emergencyContactName: null,
    emergencyContactPhone: null,
    allergies: [],
    ...overrides,
  };
}

/** A second hospital with one nurse, for scope isolation. */
export async function addHospital(
  server: ServerAddress,
  code: string,
): Promise<{ hospitalId: string; nurseId: string }> {
  const region = demoRow('regions');
  const otherHospitalId = randomUUID();
  const otherNurseId = randomUUID();
  const pool = server.database.db.$client;
  await pool.query(
    `insert into hospitals (id, hospital_id, code, name, region_id, bed_capacity) values ($1, $1, $2, $3, $4, 10)`,
    [otherHospitalId, code, `${code} Hospital`, region.id],
  );
  await pool.query(
    `insert into users (id, hospital_id, email, full_name, role, region_id) values ($1, $2, $3, 'Other Nurse', 'nurse', $4)`,
    [otherNurseId, otherHospitalId, `nurse@${code.toLowerCase()}.example`, region.id],
  );
  return { hospitalId: otherHospitalId, nurseId: otherNurseId };
}

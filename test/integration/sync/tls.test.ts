/**
 * The ward network carries device tokens, passwords and charts, so the server speaks HTTPS with
 * a certificate from the hospital's own CA (made here by openssl). A workstation whose machine
 * config names that CA (`caFile`) enrolls and syncs; one without it refuses the certificate with
 * a sentence IT can act on, before a single byte of a request reaches the server; and a plain
 * http:// address on the network is refused before anything is sent at all.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCentralDatabase } from '../../../db/central/seed';
import { patients, visits } from '../../../db/local/schema';
import { createAppCaller } from '../../../main/api/router';
import { bootWorkstation, type BootedWorkstation } from '../../../main/boot';
import { MachineConfigSchema } from '../../../main/config';
import { WardError } from '../../../main/errors';
import { openReplicaWithKeyFile } from '../../../main/replica';
import { fileReplicaKeyStore } from '../../../main/replica-key';
import { recordVitals } from '../../../main/services/vitals';
import { fileTokenStore } from '../../../main/sync/device-token';
import { enrollWorkstation } from '../../../main/sync/enroll';
import { SyncEngine } from '../../../main/sync/engine';
import { nodeServerFetch } from '../../../main/sync/server-fetch';
import { updateSyncState } from '../../../main/sync/sync-state';
import { buildServer } from '../../../server/app';
import { createEnrollmentCode } from '../../../server/devices/enrollment';
import { hashSecret } from '../../../server/devices/tokens';
import { INSECURE_ADDRESS_MESSAGE } from '../../../shared/server-address';
import { makeTestCertificates, type TestCertificates } from '../../support/certificates';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

const UNTRUSTED = "The server's certificate is not trusted.";

let certs: TestCertificates;
let database: TestDatabase;
let app: FastifyInstance;
let url: string;
let root: string;
/** Requests the server has read, and TLS handshakes it saw refused by a client. */
const seen = { requests: 0, refusedHandshakes: 0 };
const booted: BootedWorkstation[] = [];
let ward: TestWorkstation | null = null;

beforeAll(async () => {
  certs = makeTestCertificates();
  root = mkdtempSync(join(tmpdir(), 'wardline-tls-ws-'));
  database = await createTestDatabase();
  await seedCentralDatabase(database.db, { demo: true });
  app = await buildServer({
    pool: database.db.$client,
    logger: false,
    tls: { cert: certs.cert, key: certs.key },
  });
  app.addHook('onRequest', (_request, _reply, done) => {
    seen.requests += 1;
    done();
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  app.server.on('tlsClientError', () => {
    seen.refusedHandshakes += 1;
  });
  url = `https://127.0.0.1:${String((app.server.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  for (const workstation of booted) await workstation.shutdown();
  await ward?.close();
  await app.close();
  await database.drop();
  rmSync(root, { recursive: true, force: true });
  certs.remove();
});

const enrollmentCode = async () =>
  (await createEnrollmentCode(database.db.$client, { hospitalCode: 'NGH' })).code;

async function codeSpent(code: string): Promise<boolean> {
  const stored = await database.db.$client.query<{ used_at: string | null }>(
    'select used_at from enrollment_codes where code_hash = $1',
    [hashSecret(code)],
  );
  if (!stored.rows[0]) throw new Error('no such enrollment code');
  return stored.rows[0].used_at !== null;
}

/** A workstation as the installer leaves it, with IT's config and a preset code. */
async function bootWith(name: string, config: Record<string, unknown>, code: string) {
  const workstation = await bootWorkstation({
    dataDir: join(root, name, 'data'),
    tokens: fileTokenStore(join(root, name, 'device-token')),
    replicaKeys: fileReplicaKeyStore(join(root, name, 'data', 'wardline.db.key')),
    config: MachineConfigSchema.parse(config),
    env: { WARDLINE_ENROLLMENT_CODE: code },
    deviceName: `${name} desk`,
  });
  booted.push(workstation);
  return workstation;
}

describe('a server behind the hospital CA', () => {
  it('enrolls a workstation whose config names the CA, pulls the hospital and pushes over HTTPS', async () => {
    const ws = await bootWith(
      'with-ca',
      { serverUrl: url, caFile: certs.caFile },
      await enrollmentCode(),
    );
    const caller = createAppCaller(ws.workstation);
    expect((await caller.setup.status()).presetCodeRefusal).toBeNull();
    expect((await ws.engine.syncNow()).ok).toBe(true);
    expect(ws.workstation.db.select().from(patients).all()).toHaveLength(6);
    const session = await caller.auth.login({ email: 'nurse@hass.example', password: 'nurse123' });
    expect(session.mode).toBe('online');

    ward = await enrolledWorkstation('tls-ward', url, await enrollmentCode(), {
      fetch: nodeServerFetch(certs.caPem),
    });
    const [visit] = ward.db.select().from(visits).where(eq(visits.status, 'admitted')).all();
    if (!visit) throw new Error('the demo hospital has no admitted visit');
    recordVitals(ward.as('nurse@hass.example'), {
      visitId: visit.id,
      heartRate: 72,
      notes: 'charted over https',
    });
    expect(await ward.sync()).toMatchObject({ ok: true, pushed: 1 });
    const stored = await database.db.$client.query(
      "select 1 from vitals where notes = 'charted over https'",
    );
    expect(stored.rowCount).toBe(1);
  });

  it('refuses the certificate without the CA, and the server receives nothing', async () => {
    const before = { ...seen };
    const code = await enrollmentCode();
    const ws = await bootWith('without-ca', { serverUrl: url }, code);
    const refusal = (await createAppCaller(ws.workstation).setup.status()).presetCodeRefusal;
    expect(refusal).toContain(UNTRUSTED);
    expect(refusal).toContain('caFile');
    expect(await codeSpent(code)).toBe(false);

    // The engine of an enrolled replica, pointed at the same server without the CA.
    if (!ward) throw new Error('the first test enrolls the ward');
    const engine = new SyncEngine({ db: ward.db, tokens: ward.tokens });
    const run = await engine.syncNow();
    expect(run).toMatchObject({ ok: false, error: UNTRUSTED });
    expect(engine.status()).toMatchObject({ online: false, lastError: UNTRUSTED });
    await engine.stop();

    expect(seen.requests).toBe(before.requests);
    // The handshakes did reach the server, and were refused there: not an unreachable server.
    expect(seen.refusedHandshakes).toBeGreaterThan(before.refusedHandshakes);
  });
});

describe('a plain http:// address on the network', () => {
  const insecure = 'http://10.20.30.40:8080';

  it('is refused by enrollment and by the engine before any request is made', async () => {
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    const dir = join(root, 'plain-http');
    mkdirSync(dir);
    const db = openReplicaWithKeyFile(join(dir, 'replica.db'));
    const tokens = fileTokenStore(join(dir, 'device-token'));
    try {
      const refused = await enrollWorkstation(db, tokens, {
        serverUrl: insecure,
        code: 'ABCDEF',
        deviceName: 'Ward 9',
        fetch: counting,
      }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(WardError);
      expect(refused).toMatchObject({
        code: 'insecure_server_address',
        message: INSECURE_ADDRESS_MESSAGE,
      });

      // A replica enrolled with such an address (an older version allowed it) never syncs there.
      updateSyncState(db, {
        deviceId: '00000000-0000-4000-8000-000000000001',
        hospitalId: '00000000-0000-4000-8000-000000000002',
        serverUrl: insecure,
      });
      tokens.write('a-token-that-must-not-travel-in-clear');
      const engine = new SyncEngine({ db, tokens, fetch: counting });
      expect(await engine.syncNow()).toMatchObject({ ok: false, error: INSECURE_ADDRESS_MESSAGE });
      await engine.stop();
      expect(calls).toBe(0);
    } finally {
      db.$client.close();
    }
  });

  it('in the machine config stops the start with the rule, and so does WARDLINE_SERVER_URL', async () => {
    expect(MachineConfigSchema.safeParse({ serverUrl: insecure }).success).toBe(false);
    await expect(
      bootWorkstation({
        dataDir: join(root, 'env-override', 'data'),
        tokens: fileTokenStore(join(root, 'env-override', 'device-token')),
        replicaKeys: fileReplicaKeyStore(join(root, 'env-override', 'data', 'wardline.db.key')),
        config: MachineConfigSchema.parse({}),
        env: { WARDLINE_SERVER_URL: insecure },
      }),
    ).rejects.toMatchObject({ code: 'insecure_server_address' });
  });
});

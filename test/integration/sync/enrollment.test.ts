/**
 * A fresh workstation meets IT on its first start: no code was preset, so the first-start screen
 * (setup.status / setup.enroll) enrolls it against the real central server. A wrong or spent code,
 * an address where no server answers and an address that is not Wardline each get a sentence IT
 * can act on and change nothing; a good code enrolls, the engine pulls the hospital without a
 * restart, and a nurse signs in online. Nothing ever answers with the device token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLogs, patients, syncState } from '../../../db/local/schema';
import { createAppCaller } from '../../../main/api/router';
import { bootWorkstation, type BootedWorkstation } from '../../../main/boot';
import { MachineConfigSchema } from '../../../main/config';
import { WardError } from '../../../main/errors';
import { fileTokenStore, type DeviceTokenStore } from '../../../main/sync/device-token';
import { fileReplicaKeyStore } from '../../../main/replica-key';
import type { SyncStatus } from '../../../main/sync/engine';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { startFaultProxy } from '../../support/fault-proxy';
import { freePort } from '../../support/free-port';

interface FreshWorkstation {
  booted: BootedWorkstation;
  tokens: DeviceTokenStore;
  caller: ReturnType<typeof createAppCaller>;
}

let server: CentralServer;
let root: string;
let notWardline: Server;
let notWardlineUrl: string;
const opened: FreshWorkstation[] = [];

beforeAll(async () => {
  server = await startCentralServer();
  root = mkdtempSync(join(tmpdir(), 'wardline-enrollment-'));
  // Any web server at a mistyped address: it answers, but not as Wardline does.
  notWardline = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
  });
  await new Promise<void>((done) => notWardline.listen(0, '127.0.0.1', done));
  notWardlineUrl = `http://127.0.0.1:${String((notWardline.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  for (const ws of opened) await ws.booted.shutdown();
  await new Promise<void>((done) => {
    notWardline.close(() => {
      done();
    });
  });
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

/** A workstation as the installer leaves it: a config (with or without a server), no code. */
async function freshWorkstation(name: string, serverUrl: string | null): Promise<FreshWorkstation> {
  const tokens = fileTokenStore(join(root, name, 'device-token'));
  const booted = await bootWorkstation({
    dataDir: join(root, name, 'data'),
    tokens,
    replicaKeys: fileReplicaKeyStore(join(root, name, 'data', 'wardline.db.key')),
    config: MachineConfigSchema.parse({ serverUrl }),
    env: {},
    deviceName: `${name} desk`,
  });
  const ws = { booted, tokens, caller: createAppCaller(booted.workstation) };
  opened.push(ws);
  return ws;
}

async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCError && error.cause instanceof WardError)
      return { code: error.cause.code, message: error.cause.message };
    throw error;
  }
  throw new Error('the call was not refused');
}

/** Resolves once the engine has finished a whole sync (pull included) after enrollment. */
function firstSyncDone(ws: FreshWorkstation): Promise<SyncStatus> {
  return new Promise((resolve) => {
    const check = (status: SyncStatus) => {
      if (status.lastSuccessAt === null || status.activity.phase !== 'idle') return;
      stop();
      resolve(status);
    };
    const stop = ws.booted.engine.subscribe(check);
    check(ws.booted.engine.status());
  });
}

function nothingChanged(ws: FreshWorkstation): void {
  const db = ws.booted.workstation.db;
  expect(ws.tokens.read()).toBeNull();
  expect(db.select().from(syncState).get()?.deviceId ?? null).toBeNull();
  expect(db.select().from(auditLogs).all()).toEqual([]);
}

describe('enrolling a fresh workstation from the first-start screen', () => {
  it('says the workstation is not enrolled, with the server IT preset locked in', async () => {
    const ws = await freshWorkstation('preset', server.url);
    expect(await ws.caller.setup.status()).toEqual({
      enrolled: false,
      revoked: false,
      serverUrl: server.url,
      serverUrlLocked: true,
      deviceName: 'preset desk',
      presetCodeRefusal: null,
      firstSync: {
        complete: false,
        phase: 'idle',
        rows: 0,
        total: null,
        ratePerSecond: null,
        secondsLeft: null,
        error: null,
      },
    });
    const open = await freshWorkstation('open', null);
    expect(await open.caller.setup.status()).toMatchObject({
      enrolled: false,
      serverUrl: null,
      serverUrlLocked: false,
    });
  });

  it('refuses a wrong code with a sentence IT can act on, and changes nothing', async () => {
    const ws = await freshWorkstation('wrong-code', server.url);
    const refused = await refusal(
      ws.caller.setup.enroll({ code: 'not-a-real-code', deviceName: 'Ward 2 desk' }),
    );
    expect(refused.code).toBe('enrollment_code_invalid');
    expect(refused.message).toMatch(/not valid.*used already or have expired.*new one/);
    expect(refused.message).not.toContain('not-a-real-code');
    nothingChanged(ws);
    expect((await ws.caller.setup.status()).enrolled).toBe(false);
  });

  it('names the address when no server answers there, or when it is not a Wardline server', async () => {
    const ws = await freshWorkstation('addresses', null);
    const silent = `http://127.0.0.1:${String(await freePort())}`;
    const code = await server.enrollmentCode();
    const unreachable = await refusal(
      ws.caller.setup.enroll({ serverUrl: silent, code, deviceName: 'Ward 2 desk' }),
    );
    expect(unreachable.code).toBe('server_unreachable');
    expect(unreachable.message).toContain(`The server at ${silent} did not answer`);
    const stranger = await refusal(
      ws.caller.setup.enroll({ serverUrl: notWardlineUrl, code, deviceName: 'Ward 2 desk' }),
    );
    expect(stranger.code).toBe('not_a_wardline_server');
    expect(stranger.message).toContain(
      `${notWardlineUrl} answered, but it is not a Wardline server`,
    );
    const missing = await refusal(ws.caller.setup.enroll({ code, deviceName: 'Ward 2 desk' }));
    expect(missing.code).toBe('server_url_required');
    nothingChanged(ws);
    // The code was never spent: it still enrolls, at the right address.
    await ws.caller.setup.enroll({ serverUrl: server.url, code, deviceName: 'Ward 2 desk' });
    expect((await ws.caller.setup.status()).enrolled).toBe(true);
  });

  it('does not let the screen change a server IT preset', async () => {
    const ws = await freshWorkstation('locked', server.url);
    const refused = await refusal(
      ws.caller.setup.enroll({
        serverUrl: notWardlineUrl,
        code: await server.enrollmentCode(),
        deviceName: 'Ward 2 desk',
      }),
    );
    expect(refused.code).toBe('server_url_locked');
    nothingChanged(ws);
  });

  it('enrolls with a good code, pulls the hospital without a restart, and signs a nurse in online', async () => {
    const ws = await freshWorkstation('good', server.url);
    const code = await server.enrollmentCode();
    const answer = await ws.caller.setup.enroll({ code, deviceName: 'Ward 2 desk' });
    expect(answer.enrolled).toBe(true);

    const synced = await firstSyncDone(ws);
    expect(synced).toMatchObject({ enrolled: true, online: true, pending: 0, lastError: null });
    const db = ws.booted.workstation.db;
    expect(db.select().from(patients).all()).toHaveLength(6);
    expect((await ws.caller.setup.status()).firstSync).toEqual({
      complete: true,
      phase: 'idle',
      rows: null,
      total: null,
      ratePerSecond: null,
      secondsLeft: null,
      error: null,
    });

    const session = await ws.caller.auth.login({
      email: 'nurse@hass.example',
      password: 'nurse123',
    });
    expect(session.mode).toBe('online');

    const deviceId = db.select().from(syncState).get()?.deviceId;
    const device = await server.database.db.$client.query<{ id: string; name: string }>(
      'select id, name from devices where id = $1',
      [deviceId],
    );
    expect(device.rows).toEqual([{ id: deviceId, name: 'Ward 2 desk' }]);

    const [event] = db.select().from(auditLogs).where(eq(auditLogs.action, 'device.enroll')).all();
    expect(event).toMatchObject({
      userId: null,
      entity: 'devices',
      entityId: device.rows[0]?.id,
      after: {
        role: null,
        outcome: 'done',
        details: { deviceName: 'Ward 2 desk', serverUrl: server.url },
      },
    });
    // The event reached the server with the first sync's audit push.
    const onServer = await server.database.db.$client.query(
      "select 1 from audit_logs where action = 'device.enroll' and entity_id = $1",
      [device.rows[0]?.id],
    );
    expect(onServer.rowCount).toBe(1);

    // The token exists only in the token store: no answer, replica row or audit event holds it.
    const token = ws.tokens.read();
    expect(token).toMatch(/^[\w-]{20,}$/);
    const everything = JSON.stringify([
      answer,
      await ws.caller.setup.status(),
      db.select().from(syncState).all(),
      db.select().from(auditLogs).all(),
    ]);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(code);
  });

  it('refuses a spent code on another workstation, and a second enrollment of an enrolled one', async () => {
    const first = await freshWorkstation('first', server.url);
    const code = await server.enrollmentCode();
    await first.caller.setup.enroll({ code, deviceName: 'Desk one' });

    const second = await freshWorkstation('second', server.url);
    const spent = await refusal(second.caller.setup.enroll({ code, deviceName: 'Desk two' }));
    expect(spent.code).toBe('enrollment_code_invalid');
    nothingChanged(second);

    const tokenBefore = first.tokens.read();
    const fresh = await server.enrollmentCode();
    const again = await refusal(first.caller.setup.enroll({ code: fresh, deviceName: 'Desk one' }));
    expect(again.code).toBe('already_enrolled');
    expect(first.tokens.read()).toBe(tokenBefore);
    // Refused before the server was asked: the fresh code is still good.
    await second.caller.setup.enroll({ code: fresh, deviceName: 'Desk two' });
    expect((await second.caller.setup.status()).enrolled).toBe(true);
  });

  it('spends one code once when "Enroll" is clicked twice', async () => {
    const ws = await freshWorkstation('double-click', server.url);
    const code = await server.enrollmentCode();
    const enroll = () => ws.caller.setup.enroll({ code, deviceName: 'Desk' });
    const first = enroll();
    const second = refusal(enroll());
    await expect(first).resolves.toMatchObject({ enrolled: true });
    expect((await second).code).toBe('enrollment_in_progress');
    const devices = await server.database.db.$client.query(
      "select 1 from devices where name = 'Desk'",
    );
    expect(devices.rowCount).toBe(1);
  });

  it('reports a first sync cut off by the network, and completes it once the server answers', async () => {
    const proxy = await startFaultProxy(server.url, { seed: 3 });
    try {
      const ws = await freshWorkstation('cut-off', proxy.url);
      const failed = new Promise<void>((resolve) => {
        const stop = ws.booted.engine.subscribe((status) => {
          if (status.lastError === null) return;
          stop();
          resolve();
        });
      });
      await ws.caller.setup.enroll({ code: await server.enrollmentCode(), deviceName: 'Desk' });
      // The first sync was asked for in the same call; its requests meet a dead network.
      proxy.setDown(true);
      await failed;
      const cut = await ws.caller.setup.status();
      expect(cut).toMatchObject({ enrolled: true, firstSync: { complete: false } });
      expect(cut.firstSync.error).toMatch(/did not answer/);

      proxy.setDown(false);
      expect((await ws.booted.engine.syncNow()).ok).toBe(true);
      expect((await ws.caller.setup.status()).firstSync).toMatchObject({
        complete: true,
        error: null,
      });
    } finally {
      await proxy.close();
    }
  });

  it('validates the input before anything is sent', async () => {
    const ws = await freshWorkstation('input', null);
    await expect(
      ws.caller.setup.enroll({ serverUrl: 'wardline.hospital', code: 'x', deviceName: 'A' }),
    ).rejects.toThrow(/https:\/\//);
    await expect(
      ws.caller.setup.enroll({ serverUrl: server.url, code: '  ', deviceName: 'A' }),
    ).rejects.toThrow();
    nothingChanged(ws);
  });
});

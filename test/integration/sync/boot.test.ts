/**
 * A workstation's first start as IT deploys it: the config names the server, a single-use code
 * enrolls it, the first sync brings the hospital; the next start needs no code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patients } from '../../../db/local/schema';
import { createAppCaller } from '../../../main/api/router';
import { newSigningKey } from '../../../main/auth/signing-keys';
import { bootWorkstation } from '../../../main/boot';
import { MachineConfigSchema } from '../../../main/config';
import { fileTokenStore } from '../../../main/sync/device-token';
import { fileReplicaKeyStore } from '../../../main/replica-key';
import type { SyncStatus } from '../../../main/sync/engine';
import { startCentralServer, type CentralServer } from '../../support/central-server';

describe('booting a workstation', () => {
  let server: CentralServer;
  let dataDir: string;
  beforeAll(async () => {
    server = await startCentralServer();
    dataDir = mkdtempSync(join(tmpdir(), 'wardline-boot-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const boot = (env: NodeJS.ProcessEnv) =>
    bootWorkstation({
      dataDir: join(dataDir, 'data'),
      tokens: fileTokenStore(join(dataDir, 'device-token')),
      replicaKeys: fileReplicaKeyStore(join(dataDir, 'data', 'wardline.db.key')),
      config: MachineConfigSchema.parse({ serverUrl: server.url }),
      env,
      deviceName: 'Ward 2 desk',
    });

  const firstSync = (booted: Awaited<ReturnType<typeof boot>>) =>
    new Promise<SyncStatus>((resolve) => {
      const stop = booted.engine.subscribe((status) => {
        if (status.lastSuccessAt !== null && status.activity.phase === 'idle') {
          stop();
          resolve(status);
        }
      });
    });

  it('enrolls with the code on the first start and pulls the hospital', async () => {
    const booted = await boot({ WARDLINE_ENROLLMENT_CODE: await server.enrollmentCode() });
    try {
      const status = await firstSync(booted);
      expect(status).toMatchObject({ enrolled: true, online: true, pending: 0 });
      expect(booted.workstation.db.select().from(patients).all()).toHaveLength(6);
    } finally {
      await booted.shutdown();
    }
  });

  it('starts again without a code, still enrolled, and signs people in through the server', async () => {
    const booted = await boot({});
    try {
      expect(booted.engine.status().enrolled).toBe(true);
      const { publicKey } = newSigningKey('').signer;
      const answer = await booted.workstation.serverAuth.login(
        'nurse@hass.example',
        'nurse123',
        publicKey,
      );
      expect(answer.status).toBe('ok');
      expect(
        (await booted.workstation.serverAuth.login('nurse@hass.example', 'wrong', publicKey))
          .status,
      ).toBe('wrong_credentials');
    } finally {
      await booted.shutdown();
    }
  });

  it('opens on the first-start screen, saying why, when the preset code was already spent', async () => {
    // IT copied one machine's config, code included, to a second machine: codes are single-use.
    const spent = await server.enrollmentCode();
    const dirs = [
      mkdtempSync(join(tmpdir(), 'wardline-boot-a-')),
      mkdtempSync(join(tmpdir(), 'wardline-boot-b-')),
    ];
    const bootIn = (dir: string) =>
      bootWorkstation({
        dataDir: join(dir, 'data'),
        tokens: fileTokenStore(join(dir, 'device-token')),
        replicaKeys: fileReplicaKeyStore(join(dir, 'data', 'wardline.db.key')),
        config: MachineConfigSchema.parse({ serverUrl: server.url, enrollmentCode: spent }),
        env: {},
        deviceName: 'Ward 3 desk',
      });
    const [firstDir = '', secondDir = ''] = dirs;
    await (await bootIn(firstDir)).shutdown();
    const second = await bootIn(secondDir);
    try {
      const setup = createAppCaller(second.workstation).setup;
      expect(await setup.status()).toMatchObject({
        enrolled: false,
        serverUrl: server.url,
        serverUrlLocked: true,
        presetCodeRefusal: expect.stringMatching(/used already or have expired/) as unknown,
      });
      await setup.enroll({ code: await server.enrollmentCode(), deviceName: 'Ward 3 desk' });
      expect((await setup.status()).enrolled).toBe(true);
    } finally {
      await second.shutdown();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });
});

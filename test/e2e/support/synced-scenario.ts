/**
 * A browser scenario against the real central server: one harness workstation enrolled with it
 * through a fault proxy (so a test can cut the network), the production renderer in one Chromium
 * page. `close` stops them all and removes the workstation's folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  startSyncedHarness,
  type SyncedHarness,
  type SyncedHarnessOptions,
} from '../../harness/synced-harness';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { launchBrowser } from './browser';
import { buildRenderer } from './renderer-build';

export interface SyncedScenario {
  server: CentralServer;
  proxy: FaultProxy;
  harness: SyncedHarness;
  page: Page;
  close: () => Promise<void>;
}

export async function openSyncedScenario(options: {
  /** Names the workstation's temporary folder. */
  name: string;
  /** The fault proxy's seed, fixed per test file. */
  proxySeed: number;
  /** For axe, which is injected as a script: only a browser with the CSP bypass allows it. */
  injectsScripts?: boolean;
  /** Server data the scenario needs before the workstation enrolls and pulls. */
  prepare?: (server: CentralServer) => Promise<void>;
  /** The hospital the workstation enrolls with (default the demo's NGH). */
  hospitalCode?: string;
  /** What the workstation holds (default the desktop app's: the whole hospital). */
  replica?: SyncedHarnessOptions['replica'];
}): Promise<SyncedScenario> {
  const staticDir = await buildRenderer();
  const server = await startCentralServer();
  await options.prepare?.(server);
  const proxy = await startFaultProxy(server.url, { seed: options.proxySeed });
  const dataDir = mkdtempSync(join(tmpdir(), `wardline-e2e-${options.name}-`));
  const harness = await startSyncedHarness({
    dataDir,
    serverUrl: proxy.url,
    enrollmentCode: () => server.enrollmentCode(options.hospitalCode),
    staticDir,
    intervalMs: 1_000,
    ...(options.replica ? { replica: options.replica } : {}),
  });
  const browser = await launchBrowser(options.injectsScripts ? { injectsScripts: true } : {});
  const page = await browser.newPage(harness.url);
  return {
    server,
    proxy,
    harness,
    page,
    close: async () => {
      await browser.close();
      await harness.engine.stop();
      await harness.close();
      await proxy.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

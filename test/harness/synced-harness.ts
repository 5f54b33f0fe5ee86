/**
 * The harness as a real workstation: its replica starts empty, it enrolls with a running central
 * server, pulls the hospital, signs people in through the server (falling back to cached
 * credentials offline) and syncs in the background. Used by `npm run demo:web` and by the
 * browser tests of outages. Without an enrollment code it starts unenrolled, as a fresh
 * workstation does, and the first-start screen enrolls it.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { openReplicaWithKeyFile } from '../../main/replica';
import { fileTokenStore } from '../../main/sync/device-token';
import { enrollWorkstation, isWorkstationEnrolled } from '../../main/sync/enroll';
import { SyncEngine, type SyncEngineOptions } from '../../main/sync/engine';
import { nodeServerFetch } from '../../main/sync/server-fetch';
import { httpServerAuth } from '../../main/sync/server-auth';
import { httpServerPasswords } from '../../main/sync/server-passwords';
import { readSyncState } from '../../main/sync/sync-state';
import { MachineConfigSchema } from '../../main/config';
import { HARNESS_REPLICA_FILE, startHarness, type Harness } from './server';

export interface SyncedHarnessOptions {
  dataDir: string;
  /** The server IT preset; absent, the first-start screen asks for it (only without a code). */
  serverUrl?: string;
  /**
   * Asked for only when this data folder has not been enrolled yet. Absent, the harness starts
   * unenrolled and the first-start screen enrolls it.
   */
  enrollmentCode?: () => Promise<string>;
  deviceName?: string;
  port?: number;
  staticDir?: string;
  /** Time between background syncs. */
  intervalMs?: number;
  /** The hospital CA (PEM) the server's certificate comes from, as a machine config's caFile. */
  caPem?: string;
  /** IT's rescue public key, as a machine config's `rescueKeyFile` (docs/WORKSTATION.md). */
  rescueKeyFile?: string;
  /**
   * What the workstation holds and how it syncs first; absent, the desktop app's default (a
   * snapshot of the whole hospital, then the pull), so the demo and the browser tests take the
   * first sync a hospital's workstations take.
   */
  replica?: SyncEngineOptions['replica'];
}

export interface SyncedHarness extends Harness {
  engine: SyncEngine;
}

export async function startSyncedHarness(options: SyncedHarnessOptions): Promise<SyncedHarness> {
  mkdirSync(options.dataDir, { recursive: true });
  const db = openReplicaWithKeyFile(join(options.dataDir, HARNESS_REPLICA_FILE));
  const tokens = fileTokenStore(join(options.dataDir, 'device-token'));
  const deviceName = options.deviceName ?? 'Wardline web demo';
  const serverFetch = nodeServerFetch(options.caPem ?? null);
  if (!isWorkstationEnrolled(db, tokens) && options.enrollmentCode) {
    if (!options.serverUrl)
      throw new Error('An enrollment code needs a server URL to spend it at.');
    await enrollWorkstation(db, tokens, {
      serverUrl: options.serverUrl,
      code: await options.enrollmentCode(),
      deviceName,
      fetch: serverFetch,
    });
  }
  const engine = new SyncEngine({
    db,
    tokens,
    fetch: serverFetch,
    replica: options.replica ?? MachineConfigSchema.parse({}).replica,
    ...(options.intervalMs ? { intervalMs: options.intervalMs } : {}),
  });
  if (isWorkstationEnrolled(db, tokens)) {
    const first = await engine.syncNow();
    if (!first.ok)
      throw new Error(
        `The first sync with ${readSyncState(db).serverUrl ?? ''} failed: ${first.error ?? 'unknown error'}`,
      );
  }
  engine.start();
  const harness = await startHarness({
    dataDir: options.dataDir,
    db,
    sync: engine,
    serverAuth: httpServerAuth(() => engine.transport()),
    serverPasswords: httpServerPasswords(() => engine.transport()),
    enrollment: {
      tokens,
      presetServerUrl: options.serverUrl ?? null,
      defaultDeviceName: deviceName,
      fetch: serverFetch,
    },
    demo: false,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.staticDir ? { staticDir: options.staticDir } : {}),
    ...(options.rescueKeyFile ? { rescueKeyFile: options.rescueKeyFile } : {}),
  });
  return { ...harness, engine };
}

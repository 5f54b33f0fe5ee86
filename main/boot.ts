/**
 * Starting a workstation, the Electron-free part: open (decrypt, and migrate) the replica, enroll with the
 * configured server on first start when IT supplied a code (else the first-start screen does),
 * and wire the sync engine into sign-in and the API. main/app/main.ts calls this once the app
 * is ready; tests call it directly.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { checkServerAddress } from '../shared/server-address';
import type { MachineConfig } from './config';
import { WardError } from './errors';
import { openReplica, REPLICA_FILE } from './replica';
import type { ReplicaKeyStore } from './replica-key';
import type { DeviceTokenStore } from './sync/device-token';
import { enrollWorkstation, isWorkstationEnrolled, type EnrollOptions } from './sync/enroll';
import { SyncEngine } from './sync/engine';
import { readHospitalCa } from './sync/hospital-ca';
import { nodeServerFetch } from './sync/server-fetch';
import { httpServerPasswords } from './sync/server-passwords';
import { httpServerAuth } from './sync/server-auth';
import { createWorkstation, type Workstation } from './workstation';

export interface BootOptions {
  dataDir: string;
  tokens: DeviceTokenStore;
  /** The replica's key: wrapped by the OS key store in the app, a 0600 file in tests. */
  replicaKeys: ReplicaKeyStore;
  config: MachineConfig;
  /** WARDLINE_SERVER_URL and WARDLINE_ENROLLMENT_CODE override the config file (kiosks, demos). */
  env?: NodeJS.ProcessEnv;
  deviceName?: string;
  /**
   * How requests reach the server. The Electron app passes net.fetch (main/app/server-fetch.ts);
   * absent, Node's fetch trusting the config's `caFile` besides the usual roots.
   */
  fetch?: typeof fetch;
}

export interface BootedWorkstation {
  workstation: Workstation;
  engine: SyncEngine;
  /** Stops syncing and ends the session; the caller closes the window. */
  shutdown(): Promise<void>;
}

export async function bootWorkstation(options: BootOptions): Promise<BootedWorkstation> {
  const env = options.env ?? process.env;
  const serverUrl = env.WARDLINE_SERVER_URL ?? options.config.serverUrl;
  if (env.WARDLINE_SERVER_URL !== undefined) refuseInsecureOverride(env.WARDLINE_SERVER_URL);
  const { caFile } = options.config;
  const serverFetch = options.fetch ?? nodeServerFetch(caFile ? readHospitalCa(caFile) : null);
  const db = openReplica(join(options.dataDir, REPLICA_FILE), {
    keys: options.replicaKeys,
    exclusive: true,
  });
  const code = env.WARDLINE_ENROLLMENT_CODE ?? options.config.enrollmentCode;
  const deviceName = options.deviceName ?? hostname();
  const presetCodeRefusal =
    !isWorkstationEnrolled(db, options.tokens) && serverUrl && code
      ? await enrollWithPresetCode(db, options.tokens, {
          serverUrl,
          code,
          deviceName,
          fetch: serverFetch,
        })
      : null;
  const engine = new SyncEngine({
    db,
    tokens: options.tokens,
    fetch: serverFetch,
    replica: options.config.replica,
  });
  const workstation = createWorkstation({
    db,
    settings: options.config.settings,
    serverAuth: httpServerAuth(() => engine.transport()),
    serverPasswords: httpServerPasswords(() => engine.transport()),
    sync: engine,
    rescueKeyFile: options.config.rescueKeyFile,
    // Without a preset code the first-start screen enrolls (main/api/routers/setup.ts).
    enrollment: {
      tokens: options.tokens,
      presetServerUrl: serverUrl ?? null,
      defaultDeviceName: deviceName,
      presetCodeRefusal,
      fetch: serverFetch,
    },
  });
  engine.start();
  return {
    workstation,
    engine,
    shutdown: async () => {
      await engine.stop();
      workstation.sessions.end('app_closed');
      db.$client.close();
    },
  };
}

/** The environment's override obeys the config file's rule (shared/server-address.ts). */
function refuseInsecureOverride(serverUrl: string): void {
  const address = checkServerAddress(serverUrl);
  if (!address.ok)
    throw new WardError(
      'insecure_server_address',
      `WARDLINE_SERVER_URL: ${address.message}`,
      'invalid',
    );
}

/**
 * Codes are single-use, so a preset code copied to a second machine, or one that expired before
 * the installer ran, is refused: the workstation then opens on the first-start screen, which
 * says why, rather than failing to start.
 */
async function enrollWithPresetCode(
  db: Parameters<typeof enrollWorkstation>[0],
  tokens: DeviceTokenStore,
  options: EnrollOptions,
): Promise<string | null> {
  try {
    await enrollWorkstation(db, tokens, options);
    return null;
  } catch (error) {
    if (error instanceof WardError) return error.message;
    throw error;
  }
}

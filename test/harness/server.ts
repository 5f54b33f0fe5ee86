/**
 * The main process's app router over HTTP on 127.0.0.1, with a real SQLite replica, so browser
 * tests (and `npm run demo:web`) drive the real main-process code. The renderer's tRPC client
 * points at `${url}/trpc`; static files of a built renderer are served from `/` when given.
 */
import { createReadStream, mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { LocalDb } from '../../db/local/open';
import { openReplicaWithKeyFile } from '../../main/replica';
import { replicaKeyFile } from '../../main/replica-key';
import { syncState } from '../../db/local/schema';
import { DEMO_HOSPITAL_ID } from '../../db/seed/demo-data';
import { seedLocalDatabase } from '../../db/local/seed';
import { appRouter } from '../../main/api/router';
import type { ServerAuth } from '../../main/auth/server-auth';
import type { ServerPasswords } from '../../main/auth/server-passwords';
import type { Clock } from '../../main/clock';
import { addReservedMrns } from '../../main/services/mrn-pool';
import type { WorkstationSettings } from '../../main/settings';
import type { SyncEngine } from '../../main/sync/engine';
import type { EnrollmentSetup } from '../../main/sync/enroll';
import { resolveRendererPath } from '../../main/shell/renderer-files';
import { createWorkstation, type Workstation } from '../../main/workstation';
import { createDemoServerAuth } from './demo-server-auth';

export interface HarnessOptions {
  dataDir: string;
  port?: number;
  staticDir?: string;
  serverAuth?: ServerAuth;
  /** Password change and reset on the server; absent, they answer as an unreachable server. */
  serverPasswords?: ServerPasswords;
  /** Load the demo hospital (default true) so there is something to look at. */
  demo?: boolean;
  clock?: Clock;
  settings?: Partial<WorkstationSettings>;
  /** An already opened replica (with `sync`: one enrolled with a real server). */
  db?: LocalDb;
  /** The sync engine of a harness that syncs with a real central server. */
  sync?: SyncEngine;
  /** Lets the first-start screen enroll this workstation (a synced harness started unenrolled). */
  enrollment?: EnrollmentSetup;
  /** IT's rescue public key, as a machine config's `rescueKeyFile` (docs/WORKSTATION.md). */
  rescueKeyFile?: string;
}

export interface Harness {
  url: string;
  workstation: Workstation;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  // pdf.js's worker (a module worker, which the browser refuses under any other type).
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/** The harness's replica in its data folder; its key is in a 0600 file beside it. */
export const HARNESS_REPLICA_FILE = 'replica.db';

/** The start-up line that says where the harness keeps the replica's key, and what that means. */
export function describeHarnessKey(dataDir: string): string {
  const keyFile = replicaKeyFile(join(dataDir, HARNESS_REPLICA_FILE));
  return `The replica in ${dataDir} is encrypted; its key is in ${keyFile} (a 0600 file: anyone who can read it as you can read the replica). The desktop app keeps its key in the OS key store instead.`;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  mkdirSync(options.dataDir, { recursive: true });
  const db = options.db ?? openReplicaWithKeyFile(join(options.dataDir, HARNESS_REPLICA_FILE));
  if (options.demo ?? true) {
    seedLocalDatabase(db, { demo: true, ...(options.clock ? { now: options.clock.now() } : {}) });
    // A demo workstation counts as enrolled at the demo hospital.
    db.insert(syncState)
      .values({ id: 1, hospitalId: DEMO_HOSPITAL_ID })
      .onConflictDoNothing()
      .run();
    addReservedMrns(
      db,
      Array.from({ length: 50 }, (_, i) => `NGH-H${String(i + 1).padStart(5, '0')}`),
    );
  }
  const workstation = createWorkstation({
    db,
    serverAuth: options.serverAuth ?? createDemoServerAuth(),
    ...(options.serverPasswords ? { serverPasswords: options.serverPasswords } : {}),
    ...(options.sync ? { sync: options.sync } : {}),
    ...(options.enrollment ? { enrollment: options.enrollment } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.rescueKeyFile ? { rescueKeyFile: options.rescueKeyFile } : {}),
  });
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    createContext: () => workstation,
  });
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/trpc/')) {
      trpc(req, res);
      return;
    }
    serveStatic(options.staticDir, req, res);
  });
  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    workstation,
    close: async () => {
      await options.sync?.stop();
      await new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => {
          db.$client.close();
          done();
        });
      });
    },
  };
}

function serveStatic(
  staticDir: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  if (!staticDir || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404).end();
    return;
  }
  // The same path guard as the desktop app's app:// handler.
  const answer = resolveRendererPath(
    staticDir,
    new URL(req.url ?? '/', 'http://localhost').pathname,
  );
  if (answer.status !== 200) {
    res.writeHead(answer.status).end();
    return;
  }
  const file = answer.file;
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}

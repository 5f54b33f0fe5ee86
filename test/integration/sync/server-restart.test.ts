/**
 * The central server process is stopped and started again while a workstation pushes thousands
 * of offline entries: the push picks up where it stopped, and nothing is lost or doubled.
 * The server runs as `npm run server -- serve` runs it (node --import tsx server/cli.ts), on its
 * own embedded PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/free-port';
import {
  chartManyVitals,
  enrolledWorkstation,
  type TestWorkstation,
} from '../../support/workstation';
import { readClusterPassword } from '../../../server/db/cluster-password';
import { clusterUrl } from '../../../server/db/embedded-postgres';

const ENTRIES = 3000;
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'server/cli.ts');

function runCli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${args[0] ?? ''} failed: ${err}`));
    });
  });
}

function serve(dataDir: string, port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CLI, 'serve', '--demo', '--data-dir', dataDir, '--port', String(port)],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening on')) resolve(child);
    });
    child.on('exit', (code) => {
      reject(new Error(`server exited early with ${String(code)}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => {
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

describe('a server restarted mid-sync', () => {
  let dataDir: string;
  let port: number;
  let server: ChildProcess;
  let ward: TestWorkstation;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'wardline-restart-'));
    port = await freePort();
    server = await serve(dataDir, port);
    const { code } = JSON.parse(
      await runCli(['enroll-code', '--hospital', 'NGH', '--data-dir', dataDir]),
    ) as {
      code: string;
    };
    ward = await enrolledWorkstation('restart-ward', `http://127.0.0.1:${port}`, code);
  });
  afterAll(async () => {
    await ward.close();
    if (server.exitCode === null) await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'resumes the push after the restart without loss or duplicates',
    { timeout: 120_000 },
    async () => {
      chartManyVitals(ward.as('nurse@hass.example'), ENTRIES, 'restart-run');

      // Stop the server as soon as the first batch is acknowledged, while the push goes on.
      const shutdown: { exit?: Promise<number | null> } = {};
      const unsubscribe = ward.engine.subscribe((status) => {
        if (!shutdown.exit && status.activity.phase === 'pushing' && status.activity.done > 0) {
          shutdown.exit = stop(server);
        }
      });
      const interrupted = await ward.sync();
      unsubscribe();
      expect(shutdown.exit).toBeDefined();
      expect(await shutdown.exit).toBe(0);
      expect(interrupted.ok).toBe(false);
      expect(ward.engine.status().online).toBe(false);
      const left = ward.engine.status().pending;
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThan(ENTRIES);

      server = await serve(dataDir, port);
      let attempts = 0;
      while (ward.engine.status().pending > 0 && attempts < 10) {
        attempts += 1;
        await ward.sync();
      }
      expect(ward.engine.status().pending).toBe(0);
      expect(ward.engine.status().online).toBe(true);

      const pgPort = Number(readFileSync(join(dataDir, 'postgres.port'), 'utf8').trim());
      const client = new pg.Client({
        connectionString: clusterUrl(await readClusterPassword(dataDir), pgPort, 'wardline'),
      });
      await client.connect();
      try {
        const stored = await client.query<{ entries: number; distinct_notes: number }>(
          `select count(*)::int as entries, count(distinct notes)::int as distinct_notes
         from vitals where notes like 'restart-run %'`,
        );
        expect(stored.rows[0]).toEqual({ entries: ENTRIES, distinct_notes: ENTRIES });
      } finally {
        await client.end();
      }
    },
  );
});

/**
 * Server restarted: the central server process is stopped (SIGTERM) and started again while a
 * workstation pushes offline entries; the push picks up where it stopped. The server runs as
 * `npm run server -- serve` runs it (node --import tsx server/cli.ts), on its own embedded
 * PostgreSQL in `dataDir` (kept between soak runs: a new cluster per run costs an initdb).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { readClusterPassword } from '../../../server/db/cluster-password';
import { connectCentralDatabase } from '../../../server/db/connect';
import { clusterUrl } from '../../../server/db/embedded-postgres';
import { replicaVersions, serverVersions, versionDifferences } from '../../support/convergence';
import { freePort } from '../../support/free-port';
import { seededRandom } from '../../support/seeded-random';
import { chartManyVitals, enrolledWorkstation } from '../../support/workstation';
import { countedOutcome, type ScenarioOutcome } from '../outcome';

const CLI = fileURLToPath(new URL('../../../server/cli.ts', import.meta.url));

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
      { stdio: ['ignore', 'pipe', 'ignore'] },
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
    if (child.exitCode !== null) {
      resolve(child.exitCode);
      return;
    }
    child.on('exit', (code) => {
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

export async function serverRestart(options: {
  seed: number;
  entries: number;
  /** A server data folder kept between runs; a temporary one otherwise. */
  dataDir?: string;
}): Promise<ScenarioOutcome & { exitCode: number | null; leftAtStop: number }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'wardline-restart-'));
  const port = await freePort();
  let server = await serve(dataDir, port);
  const notes = `restart-${options.seed}`;
  try {
    const { code } = JSON.parse(
      await runCli(['enroll-code', '--hospital', 'NGH', '--data-dir', dataDir]),
    ) as { code: string };
    const ward = await enrolledWorkstation(
      `restart-${options.seed}`,
      `http://127.0.0.1:${port}`,
      code,
    );
    try {
      chartManyVitals(ward.as('nurse@hass.example'), options.entries, notes);
      // Stop the server once a seeded share of the push is acknowledged, while the push goes on.
      const stopAfter = Math.floor(seededRandom(options.seed)() * (options.entries / 2));
      const shutdown: { exit?: Promise<number | null>; left?: number } = {};
      const unsubscribe = ward.engine.subscribe((status) => {
        const { phase, done } = status.activity;
        if (!shutdown.exit && phase === 'pushing' && done > stopAfter) {
          shutdown.exit = stop(server);
        }
      });
      await ward.sync();
      unsubscribe();
      const exitCode = shutdown.exit ? await shutdown.exit : null;
      const leftAtStop = ward.engine.status().pending;

      if (server.exitCode !== null || shutdown.exit) server = await serve(dataDir, port);
      for (let attempt = 0; ward.engine.status().pending > 0 && attempt < 10; attempt += 1) {
        await ward.sync();
      }

      const pgPort = Number(readFileSync(join(dataDir, 'postgres.port'), 'utf8').trim());
      const central = connectCentralDatabase(
        clusterUrl(await readClusterPassword(dataDir), pgPort, 'wardline'),
        { max: 1 },
      );
      try {
        const stored = await central.execute<{ entries: number; distinct_notes: number }>(
          sql`select count(*)::int as entries, count(distinct notes)::int as distinct_notes
              from vitals where notes like ${`${notes} %`}`,
        );
        return {
          mutations: options.entries,
          ...countedOutcome(options.entries, stored.rows[0]),
          diverged:
            ward.engine.status().pending +
            versionDifferences(
              replicaVersions(ward.db, DEMO_HOSPITAL_ID),
              await serverVersions({ db: central }, DEMO_HOSPITAL_ID),
            ),
          faults: shutdown.exit ? 1 : 0,
          exitCode,
          leftAtStop,
        };
      } finally {
        await central.$client.end();
      }
    } finally {
      await ward.close();
    }
  } finally {
    await stop(server);
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

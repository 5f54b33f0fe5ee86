/**
 * Server restarted: the central server process is stopped (SIGTERM) and started again while a
 * workstation pushes offline entries; the push picks up where it stopped. The server runs as
 * `npm run server -- serve` runs it (server/cli.ts, bundled once: bundle.ts), on the embedded
 * PostgreSQL of `dataDir` (kept between soak runs: a new cluster per run costs an initdb). Serve
 * starts that cluster itself and stops it on SIGTERM, unless it is already running: the soak
 * keeps it running between runs (run.ts), so a run restarts the server process alone, which is
 * this scenario's fault (the database's own restart is the PostgreSQL scenario's).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { readClusterPassword } from '../../../server/db/cluster-password';
import { connectCentralDatabase, type CentralDb } from '../../../server/db/connect';
import { clusterUrl } from '../../../server/db/embedded-postgres';
import { createEnrollmentCode } from '../../../server/devices/enrollment';
import { replicaVersions, serverVersions, versionDifferences } from '../../support/convergence';
import { freePort } from '../../support/free-port';
import { seededRandom } from '../../support/seeded-random';
import { chartManyVitals, enrolledWorkstation } from '../../support/workstation';
import { childArgs } from '../bundle';
import { countedOutcome, type ScenarioOutcome } from '../outcome';

/**
 * `serve` on the bundled CLI (bundle.ts). `--demo` seeds the demo people, hashing each password
 * with argon2: only the first start on a new data folder needs it, the restart finds them there.
 */
async function serve(dataDir: string, port: number, demo: boolean): Promise<ChildProcess> {
  const args = await childArgs('cli', [
    'serve',
    ...(demo ? ['--demo'] : []),
    '--data-dir',
    dataDir,
    '--port',
    String(port),
  ]);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening on')) resolve(child);
    });
    child.on('exit', (code) => {
      reject(new Error(`server exited early with ${String(code)}`));
    });
  });
}

/** A database of the serve's cluster, reached as IT reaches it (postgres.port, postgres.password). */
async function keptClusterUrl(dataDir: string, database: string): Promise<string> {
  const pgPort = Number(readFileSync(join(dataDir, 'postgres.port'), 'utf8').trim());
  return clusterUrl(await readClusterPassword(dataDir), pgPort, database);
}

async function withCentral<T>(
  dataDir: string,
  use: (central: CentralDb) => Promise<T>,
): Promise<T> {
  const central = connectCentralDatabase(await keptClusterUrl(dataDir, 'wardline'), { max: 1 });
  try {
    return await use(central);
  } finally {
    await central.$client.end();
  }
}

const TEMPLATE = 'wardline_restart_template';

/**
 * Gives a run on a kept data folder a `wardline` database as the first run found it (migrated,
 * demo-seeded, no entries), copied from a template taken of it then. Without this each run
 * enrolled into, pulled and compared a hospital grown by every run before it, and the scenario
 * slowed with each run (200 runs averaged 11.6 s each; now about 2.6 s). Needs the kept
 * cluster running (run.ts).
 */
async function freshServerDatabase(dataDir: string): Promise<void> {
  const client = new pg.Client({ connectionString: await keptClusterUrl(dataDir, 'postgres') });
  await client.connect();
  try {
    const template = await client.query('select 1 from pg_database where datname = $1', [TEMPLATE]);
    if (!template.rowCount) {
      // A template's source must have no other sessions: the soak's own pool on it is idle.
      await client.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = 'wardline'",
      );
      await client.query(`create database ${TEMPLATE} template wardline`);
      return;
    }
    await client.query('drop database wardline with (force)');
    await client.query(`create database wardline template ${TEMPLATE}`);
  } finally {
    await client.end();
  }
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
  /** Mutations per push batch (SOAK_PUSH_BATCH in the soak); the protocol's 500 otherwise. */
  pushBatchSize?: number;
  /**
   * A server data folder kept between runs, its cluster kept running (each run starts on a copy
   * of the database the first run found); a temporary one otherwise.
   */
  dataDir?: string;
}): Promise<ScenarioOutcome & { exitCode: number | null; leftAtStop: number }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'wardline-restart-'));
  const port = await freePort();
  const seeded = existsSync(join(dataDir, 'postgres.port'));
  if (options.dataDir && seeded) await freshServerDatabase(dataDir);
  let server = await serve(dataDir, port, !seeded);
  const notes = `restart-${options.seed}`;
  try {
    const { code } = await withCentral(dataDir, (central) =>
      createEnrollmentCode(central.$client, { hospitalCode: 'NGH' }),
    );
    const ward = await enrolledWorkstation(
      `restart-${options.seed}`,
      `http://127.0.0.1:${port}`,
      code,
      { ...(options.pushBatchSize ? { pushBatchSize: options.pushBatchSize } : {}) },
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

      if (server.exitCode !== null || shutdown.exit) server = await serve(dataDir, port, false);
      for (let attempt = 0; ward.engine.status().pending > 0 && attempt < 10; attempt += 1) {
        await ward.sync();
      }

      return await withCentral(dataDir, async (central) => {
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
      });
    } finally {
      await ward.close();
    }
  } finally {
    await stop(server);
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * `npm run soak -- --runs N [--seed S] [--only NAME] [--replay SEED] [--quick] [--parallel] [--shard K/M]`: the crash and fault
 * matrix. Runs every scenario N times, each run on its own seed drawn from S (today's date when
 * absent; always printed), and prints one line per scenario: runs, mutations, lost, doubled,
 * diverged, the faults that landed, and the seeds of failing runs (`--replay` reruns one; `--quick`
 * uses the smaller sizes of the slice in `npm test`; `--parallel` runs the scenarios side by side;
 * `--shard K/M` runs the K-th of M equal shares of the seeds, so M processes together run exactly
 * the runs of one `--runs N`, and their rows add up to its row). Exits 1 if anything was lost,
 * doubled or diverged, or a run failed outright. Starts its own embedded PostgreSQL (no vitest).
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { seedCentralDatabase } from '../../db/central/seed';
import { startEmbeddedPostgres } from '../../server/db/embedded-postgres';
import { openDatabase } from '../../server/db/open-database';
import { freePort } from '../support/free-port';
import { runSeeds, SCENARIOS, seedOfTheDay, type Scenario, type SoakEnv } from './scenarios';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    seed: { type: 'string' },
    only: { type: 'string' },
    replay: { type: 'string' },
    quick: { type: 'boolean', default: false },
    parallel: { type: 'boolean', default: false },
    shard: { type: 'string' },
  },
});
const runs = Number(values.runs);
const masterSeed = values.seed === undefined ? seedOfTheDay() : Number(values.seed);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(masterSeed)) {
  throw new Error('usage: npm run soak -- --runs N [--seed S] [--only NAME] [--replay SEED]');
}
const scenarios = SCENARIOS.filter(
  (s) => !values.only || s.name.toLowerCase().includes(values.only.toLowerCase()),
);
if (scenarios.length === 0) throw new Error(`no scenario matches "${values.only ?? ''}"`);
const shard = parseShard(values.shard);
const seeds =
  values.replay === undefined
    ? runSeeds(masterSeed, runs).filter((_, i) => i % shard.of === shard.index - 1)
    : [Number(values.replay)];

function parseShard(text: string | undefined): { index: number; of: number } {
  if (text === undefined) return { index: 1, of: 1 };
  const [index, of] = text.split('/').map(Number);
  if (!Number.isInteger(index) || !Number.isInteger(of) || !index || !of || index > of)
    throw new Error(`--shard ${text}: give K/M, 1 ≤ K ≤ M (the K-th of M shares of the seeds)`);
  return { index, of };
}

const root = await mkdtemp(join(tmpdir(), 'wardline-soak-'));
// As root the clusters run as a `postgres` user, which must be able to enter this folder.
await chmod(root, 0o755);
const cluster = await startEmbeddedPostgres({
  dataDir: join(root, 'cluster'),
  port: await freePort(),
  database: 'postgres',
});
const env: SoakEnv = {
  adminUrl: cluster.url,
  serverDataDir: join(root, 'server'),
  postgresCluster: { dataDir: join(root, 'postgres-restart') },
  quick: values.quick,
};
// The server-restart scenario's cluster, started (and seeded) here and kept running: each `serve`
// finds it running and leaves it so, so a run restarts the server process, not the database too.
const serverDatabase = scenarios.some((s) => s.name === 'server restarted')
  ? await openDatabase({ dataDir: env.serverDataDir ?? join(root, 'server') })
  : null;
if (serverDatabase) await seedCentralDatabase(serverDatabase.db, { demo: true });
console.log(
  values.replay === undefined
    ? `soak: seed ${masterSeed}, ${seeds.length} run(s) per scenario${shard.of > 1 ? ` (shard ${shard.index}/${shard.of} of --runs ${runs})` : ''} (--seed ${masterSeed} to replay)`
    : `soak: replaying run seed ${values.replay}`,
);

interface Row {
  scenario: string;
  runs: number;
  mutations: number;
  lost: number;
  doubled: number;
  diverged: number;
  faults: number;
  errors: number;
  seconds: number;
  failingSeeds: number[];
}

const rows: Row[] = [];

// Ctrl+C ends a long soak cleanly: the runs under way finish, no new one starts, the table so
// far is printed (each row with the runs it made) and the clusters are stopped and removed.
const interrupt = { requested: false };
process.once('SIGINT', () => {
  interrupt.requested = true;
  process.stderr.write('soak: stopping after the runs under way (Ctrl+C again to abandon them)\n');
  process.once('SIGINT', () => process.exit(130));
});
async function runScenario(scenario: Scenario): Promise<Row> {
  const row: Row = {
    scenario: scenario.name,
    runs: 0,
    mutations: 0,
    lost: 0,
    doubled: 0,
    diverged: 0,
    faults: 0,
    errors: 0,
    seconds: 0,
    failingSeeds: [],
  };
  const started = Date.now();
  for (const seed of seeds) {
    if (interrupt.requested) break;
    try {
      const outcome = await scenario.run(env, seed);
      row.mutations += outcome.mutations;
      row.lost += outcome.lost;
      row.doubled += outcome.doubled;
      row.diverged += outcome.diverged;
      row.faults += outcome.faults;
      if (outcome.lost + outcome.doubled + outcome.diverged > 0) row.failingSeeds.push(seed);
    } catch (error) {
      row.errors += 1;
      row.failingSeeds.push(seed);
      process.stderr.write(
        `${scenario.name}, seed ${seed}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
    row.runs += 1;
    // A long soak shows where it is, so a stopped one still tells what it had found.
    if (seeds.length >= 100 && row.runs % 50 === 0 && row.runs < seeds.length) {
      process.stderr.write(`  ${formatRow({ ...row, seconds: secondsSince(started) })}\n`);
    }
  }
  row.seconds = secondsSince(started);
  return row;
}

try {
  if (values.parallel) {
    // The five scenarios side by side (each on its own databases, ports and folders): much of
    // a run is waiting (process starts, restarts, the proxy's delays), which the others fill.
    // Each row printed as its scenario finishes, the table in the soak's order at the end.
    const finished = await Promise.all(
      scenarios.map(async (scenario) => {
        const row = await runScenario(scenario);
        console.log(formatRow(row));
        return row;
      }),
    );
    rows.push(...finished);
    if (finished.length > 1) console.log(`soak: table\n${finished.map(formatRow).join('\n')}`);
  } else {
    for (const scenario of scenarios) {
      const row = await runScenario(scenario);
      rows.push(row);
      console.log(formatRow(row));
    }
  }
} finally {
  await serverDatabase?.close();
  await env.postgresCluster?.running?.stop();
  await cluster.stop();
  await rm(root, { recursive: true, force: true });
}

function secondsSince(started: number): number {
  return Math.round((Date.now() - started) / 1000);
}

function formatRow(row: Row): string {
  const failing = row.failingSeeds.length > 0 ? row.failingSeeds.join(',') : '-';
  return [
    row.scenario.padEnd(28),
    `runs ${row.runs}`,
    `mutations ${row.mutations}`,
    `lost ${row.lost}`,
    `doubled ${row.doubled}`,
    `diverged ${row.diverged}`,
    `faults ${row.faults}`,
    `errors ${row.errors}`,
    `${row.seconds}s`,
    `failing seeds ${failing}`,
  ].join(' | ');
}

const failed = rows.some((row) => row.failingSeeds.length > 0) || interrupt.requested;
console.log(
  interrupt.requested
    ? 'soak: stopped early (Ctrl+C): the rows above count only the runs made'
    : failed
      ? 'soak: FAILED'
      : 'soak: all runs lost, doubled and diverged nothing',
);
process.exitCode = failed ? 1 : 0;

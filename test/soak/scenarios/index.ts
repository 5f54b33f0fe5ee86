/**
 * The crash and fault matrix: each scenario run once with one seed, its sizes drawn from that
 * seed too, so `npm run soak -- --only NAME --replay SEED` repeats a failing run exactly.
 */
import { seededRandom } from '../../support/seeded-random';
import type { ScenarioEnv, ScenarioOutcome } from '../outcome';
import { flakyNetwork } from './flaky-network';
import { killAfterCommit } from './kill-after-commit';
import { killedSync } from './killed-sync';
import { postgresRestart, type KeptCluster } from './postgres-restart';
import { serverRestart } from './server-restart';

export interface SoakEnv extends ScenarioEnv {
  /** Folders kept between runs for the scenarios that run their own cluster. */
  serverDataDir?: string;
  postgresCluster?: KeptCluster;
  /** Smaller runs (the slice in `npm test`, `--quick`): fewer entries, writers and kills. */
  quick?: boolean;
}

export interface Scenario {
  name: string;
  /**
   * Whether `npm test`'s slice runs it. The server restart is left to its fixed-seed test
   * (server-restart.test.ts) and the soak: a second initdb and three CLI processes would take the
   * slice past its minute on a busy machine.
   */
  inSlice: boolean;
  run(env: SoakEnv, seed: number): Promise<ScenarioOutcome>;
}

/**
 * Mutations per push batch in the sync scenarios, a tenth of the protocol's MAX_PUSH_BATCH: the
 * faults are meant to fall between and inside batches (a batch the server committed but whose
 * answer was lost, the next one half-sent), and small batches give a short push several of
 * those boundaries, where 500 gave a push of 300–1,000 entries one or two.
 */
export const SOAK_PUSH_BATCH = 50;

/** Entries in a sync scenario's push: 3–8 batches of SOAK_PUSH_BATCH (2–3 when quick), seeded. */
function entriesFor(env: SoakEnv, seed: number): number {
  const share = seededRandom(seed ^ 0x5eed)();
  return env.quick ? 60 + Math.floor(share * 90) : 150 + Math.floor(share * 250);
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'writer killed after commit',
    inSlice: true,
    run: (env, seed) => killAfterCommit({ seed, writers: env.quick ? 2 : 3 }),
  },
  {
    name: 'sync killed mid-push',
    inSlice: true,
    run: (env, seed) =>
      killedSync(env, {
        seed,
        entries: entriesFor(env, seed),
        kills: env.quick ? 2 : 3,
        pushBatchSize: SOAK_PUSH_BATCH,
      }),
  },
  {
    name: 'connections cut and delayed',
    inSlice: true,
    run: (env, seed) =>
      flakyNetwork(env, { seed, entries: entriesFor(env, seed), pushBatchSize: SOAK_PUSH_BATCH }),
  },
  {
    name: 'server restarted',
    inSlice: false,
    run: (env, seed) =>
      serverRestart({
        seed,
        entries: entriesFor(env, seed),
        pushBatchSize: SOAK_PUSH_BATCH,
        ...(env.serverDataDir ? { dataDir: env.serverDataDir } : {}),
      }),
  },
  {
    name: 'PostgreSQL restarted',
    inSlice: true,
    run: (env, seed) =>
      postgresRestart({
        seed,
        entries: entriesFor(env, seed),
        pushBatchSize: SOAK_PUSH_BATCH,
        ...(env.postgresCluster ? { kept: env.postgresCluster } : {}),
      }),
  },
];

/** A run's seed for each scenario, all drawn from one master seed. */
export function runSeeds(masterSeed: number, runs: number): number[] {
  const random = seededRandom(masterSeed);
  return Array.from({ length: runs }, () => Math.floor(random() * 2 ** 31));
}

/** Today's seed (YYYYMMDD), so CI tries new seeds each day and prints which. */
export function seedOfTheDay(now = new Date()): number {
  return Number(now.toISOString().slice(0, 10).replace(/-/g, ''));
}

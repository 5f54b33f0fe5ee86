/**
 * The crash and fault matrix: each scenario run once with one seed, its sizes drawn from that
 * seed too, so `npm run soak -- --only NAME --replay SEED` repeats a failing run exactly.
 */
import { seededRandom } from '../../support/seeded-random';
import type { ScenarioEnv, ScenarioOutcome } from '../outcome';
import { flakyNetwork } from './flaky-network';
import { killAfterCommit } from './kill-after-commit';
import { killedSync } from './killed-sync';
import { postgresRestart } from './postgres-restart';
import { serverRestart } from './server-restart';

export interface SoakEnv extends ScenarioEnv {
  /** Folders kept between runs for the scenarios that run their own cluster. */
  serverDataDir?: string;
  postgresDataDir?: string;
}

export interface Scenario {
  name: string;
  run(env: SoakEnv, seed: number): Promise<ScenarioOutcome>;
}

/** Entries in a sync scenario's push: a few batches, more or fewer by the seed. */
function entriesFor(seed: number): number {
  return 300 + Math.floor(seededRandom(seed ^ 0x5eed)() * 700);
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'writer killed after commit',
    run: (_env, seed) => killAfterCommit({ seed, writers: 3 }),
  },
  {
    name: 'sync killed mid-push',
    run: (env, seed) => killedSync(env, { seed, entries: entriesFor(seed), kills: 3 }),
  },
  {
    name: 'connections cut and delayed',
    run: (env, seed) => flakyNetwork(env, { seed, entries: entriesFor(seed) }),
  },
  {
    name: 'server restarted',
    run: (env, seed) =>
      serverRestart({
        seed,
        entries: entriesFor(seed),
        ...(env.serverDataDir ? { dataDir: env.serverDataDir } : {}),
      }),
  },
  {
    name: 'PostgreSQL restarted',
    run: (env, seed) =>
      postgresRestart({
        seed,
        entries: entriesFor(seed),
        ...(env.postgresDataDir ? { dataDir: env.postgresDataDir } : {}),
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

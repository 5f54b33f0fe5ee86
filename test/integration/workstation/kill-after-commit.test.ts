/**
 * Kill after commit (issue 14): a writer process is SIGKILLed right after a commit returns, run
 * after run on one replica file. On every reopen each acknowledged entry is there with its outbox
 * mutation, the audit chain verifies, and the outbox numbers only grow (test/soak scenario).
 *
 * Seeded: WARDLINE_KILL_SEED replays a run (the seed is printed), WARDLINE_KILL_RUNS runs more.
 */
import { describe, expect, it } from 'vitest';
import { killAfterCommit } from '../../soak/scenarios/kill-after-commit';
import { seedOfTheDay } from '../../soak/scenarios';

const RUNS = Number(process.env.WARDLINE_KILL_RUNS ?? 6);
/** A new seed each day in CI, printed so a failure can be replayed. */
const SEED = Number(process.env.WARDLINE_KILL_SEED ?? seedOfTheDay());

describe('a writer killed right after each commit', () => {
  it(
    `keeps every acknowledged entry (seed ${SEED}, ${RUNS} runs)`,
    { timeout: 300_000 },
    async () => {
      console.log(`kill-after-commit: seed ${SEED}, runs ${RUNS} (WARDLINE_KILL_SEED to replay)`);
      const outcome = await killAfterCommit({ seed: SEED, writers: RUNS });
      expect(outcome, `seed ${SEED}`).toMatchObject({ lost: 0, doubled: 0, diverged: 0 });
      expect(outcome.faults).toBe(RUNS);
      expect(outcome.mutations).toBeGreaterThanOrEqual(RUNS);
    },
  );
});

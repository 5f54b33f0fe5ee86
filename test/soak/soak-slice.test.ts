/**
 * The crash and fault matrix in `npm test`: each soak scenario once (but the server restart, see
 * SCENARIOS), small, on a seed drawn from
 * today's date (printed), so CI tries new fault timings each day and a failure can be replayed
 * with `npm run soak -- --quick --only "<scenario>" --replay <seed>`. WARDLINE_SOAK_SEED sets it.
 */
import { describe, expect, it } from 'vitest';
import { runSeeds, SCENARIOS, seedOfTheDay } from './scenarios';

const MASTER = Number(process.env.WARDLINE_SOAK_SEED ?? seedOfTheDay());
const [SEED = MASTER] = runSeeds(MASTER, 1);

describe(`the fault matrix, once each (run seed ${SEED})`, () => {
  for (const scenario of SCENARIOS.filter((s) => s.inSlice)) {
    it(`${scenario.name} loses, doubles and diverges nothing`, { timeout: 120_000 }, async () => {
      console.log(
        `soak slice: ${scenario.name}, seed ${SEED} (npm run soak -- --quick --only "${scenario.name}" --replay ${SEED})`,
      );
      const outcome = await scenario.run({ quick: true }, SEED);
      expect(outcome, `${scenario.name}, seed ${SEED}`).toMatchObject({
        lost: 0,
        doubled: 0,
        diverged: 0,
      });
      expect(outcome.mutations).toBeGreaterThan(0);
    });
  }
});

/**
 * A small slice of `npm run bench` in `npm test`: every suite runs at a thousandth of its full
 * size, on the same fixed seeds as the full run, and must produce its figures. It asserts that
 * the benches still measure what they say (a suite that throws, or a figure that is not a
 * number, fails here rather than on the evening someone needs the figures), never how fast:
 * speed goals live in `npm run bench` (../shared/docs/BENCH.md).
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BenchContext, BenchFigure } from '../../bench/figures';

const SLICE = 1_000;

const suitesDir = fileURLToPath(new URL('../../bench/suites', import.meta.url));
const suites = readdirSync(suitesDir)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => basename(file, '.ts'))
  .sort();

const slice: BenchContext = {
  quick: true,
  size: (full) => Math.max(1, Math.round(full / SLICE)),
  log: () => undefined,
};

describe(`the bench, 1/${SLICE} of its full size on its fixed seeds`, () => {
  it.each(suites)(
    '%s produces its figures',
    async (suite) => {
      console.log(`bench slice: ${suite} (npm run bench -- --quick --only ${suite} for the tenth)`);
      const module = (await import(pathToFileURL(join(suitesDir, `${suite}.ts`)).href)) as {
        default: (context: BenchContext) => Promise<BenchFigure[]>;
      };
      const figures = await module.default(slice);
      expect(figures.length).toBeGreaterThan(0);
      for (const figure of figures) {
        expect(Number.isFinite(figure.value), figure.figure).toBe(true);
        expect(figure.value, figure.figure).toBeGreaterThanOrEqual(0);
        expect(figure.goal, figure.figure).not.toBe('');
      }
    },
    300_000,
  );
});

/**
 * `npm run bench [-- --quick] [-- --only NAME]`: runs every suite in test/bench/suites, prints a
 * table and writes bench-results.json at the repository root. Not part of `npm test`, which runs
 * only a slice of each suite at 1/1000 of its size and checks its figures, not its speed
 * (test/integration/bench/bench-slice.test.ts).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchContext, BenchFigure } from './figures';

type Suite = (context: BenchContext) => Promise<BenchFigure[]>;

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } },
});
const quick = values.quick;
const context: BenchContext = {
  quick,
  size: (full) => (quick ? Math.max(1, Math.round(full / 10)) : full),
  log: (line) => {
    process.stderr.write(`  ${line}\n`);
  },
};

const suitesDir = fileURLToPath(new URL('./suites', import.meta.url));
const suiteFiles = readdirSync(suitesDir)
  .filter((file) => file.endsWith('.ts'))
  .filter((file) => !values.only || basename(file, '.ts') === values.only)
  .sort();

const figures: BenchFigure[] = [];
for (const file of suiteFiles) {
  process.stderr.write(`▶ ${basename(file, '.ts')}${quick ? ' (quick)' : ''}\n`);
  const module = (await import(pathToFileURL(join(suitesDir, file)).href)) as { default: Suite };
  figures.push(...(await module.default(context)));
}

console.table(
  figures.map((f) => ({
    figure: f.figure,
    value: `${f.value} ${f.unit}`,
    baseline: f.baselineValue === null ? f.baseline : `${f.baselineValue} (${f.baseline})`,
    ratio: f.ratio ?? '',
    goal: f.goal,
    met: f.met ? 'yes' : 'NO',
    size: f.size,
  })),
);
const resultsFile = fileURLToPath(new URL('../../bench-results.json', import.meta.url));
writeFileSync(resultsFile, `${JSON.stringify(figures, null, 2)}\n`);
console.log(`wrote ${resultsFile}`);

/** One line of bench-results.json, as ../shared/docs/BENCH.md defines it. */
export interface BenchFigure {
  figure: string;
  value: number;
  unit: string;
  /** What the figure is compared with, or why there is no baseline. */
  baseline: string;
  baselineValue: number | null;
  ratio: number | null;
  goal: string;
  met: boolean;
  size: number;
}

export interface BenchContext {
  /** `--quick`: about a tenth of the full sizes, well under a minute in all. */
  quick: boolean;
  /** Scales a full size down for quick runs. */
  size(full: number): number;
  log(line: string): void;
}

/** A throughput figure compared with a baseline measured in the same run. */
export function throughputFigure(options: {
  figure: string;
  unit: string;
  value: number;
  baseline: string;
  baselineValue: number;
  minRatio: number;
  size: number;
}): BenchFigure {
  const ratio = options.value / options.baselineValue;
  return {
    figure: options.figure,
    value: round(options.value),
    unit: options.unit,
    baseline: options.baseline,
    baselineValue: round(options.baselineValue),
    ratio: round(ratio, 3),
    goal: `>= ${options.minRatio}`,
    met: ratio >= options.minRatio,
    size: options.size,
  };
}

/** A latency figure (ms) compared with its goal directly. */
export function latencyFigure(options: {
  figure: string;
  valueMs: number;
  maxMs: number;
  size: number;
  baseline?: string;
}): BenchFigure {
  return {
    figure: options.figure,
    value: round(options.valueMs, 3),
    unit: 'ms',
    baseline: options.baseline ?? 'none: compared with its goal directly',
    baselineValue: null,
    ratio: null,
    goal: `< ${options.maxMs}`,
    met: options.valueMs < options.maxMs,
    size: options.size,
  };
}

/**
 * A latency of the encrypted replica beside the same work on an unencrypted one, measured in the
 * same run: the ratio is encrypted ÷ unencrypted, and the goal its ceiling.
 */
export function overheadFigure(options: {
  figure: string;
  valueMs: number;
  baselineMs: number;
  baseline: string;
  maxRatio: number;
  size: number;
}): BenchFigure {
  const ratio = options.valueMs / options.baselineMs;
  return {
    figure: options.figure,
    value: round(options.valueMs, 3),
    unit: 'ms',
    baseline: options.baseline,
    baselineValue: round(options.baselineMs, 3),
    ratio: round(ratio, 3),
    goal: `<= ${options.maxRatio}`,
    met: ratio <= options.maxRatio,
    size: options.size,
  };
}

/** How long each of `times` runs of `run` took, in ms. */
export function sampleLatencies(times: number, run: (i: number) => unknown): number[] {
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const start = performance.now();
    run(i);
    samples.push(performance.now() - start);
  }
  return samples;
}

/** The p50 and p99 figures of one latency, named `<name>.p50` and `<name>.p99`. */
export function latencyFigures(
  name: string,
  samples: readonly number[],
  maxMs: number,
  size: number,
): BenchFigure[] {
  return [
    latencyFigure({ figure: `${name}.p50`, valueMs: percentile(samples, 50), maxMs, size }),
    latencyFigure({ figure: `${name}.p99`, valueMs: percentile(samples, 99), maxMs, size }),
  ];
}

/**
 * The same `times` runs on each subject (e.g. an encrypted and an unencrypted replica),
 * interleaved and taking turns to go first, so that the load of a shared machine falls on all
 * alike. Returns each subject's samples, in ms, in the subjects' order.
 */
export function sampleInTurn<S>(
  subjects: readonly S[],
  times: number,
  run: (subject: S, i: number) => unknown,
): number[][] {
  const samples = subjects.map((): number[] => []);
  for (let i = 0; i < times; i += 1) {
    for (let k = 0; k < subjects.length; k += 1) {
      const which = (i + k) % subjects.length;
      const subject = subjects[which] as S;
      const start = performance.now();
      run(subject, i);
      samples[which]?.push(performance.now() - start);
    }
  }
  return samples;
}

/** The p-th percentile (0–100) of a list of samples. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

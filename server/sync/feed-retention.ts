/**
 * How long the change feed keeps full history, and how compaction runs (docs/SERVER.md "Feed
 * retention"). Read from the command line or the environment, checked with zod like every
 * other input: a horizon the server would misread must stop the start, not shorten history.
 */
import { z } from 'zod';
import { describeZodError } from '../../shared/validation';

export const DEFAULT_FEED_HORIZON_DAYS = 30;
export const DEFAULT_COMPACT_EVERY_MINUTES = 60;
/** Entries looked at per compaction transaction: each holds its locks for well under a second. */
export const DEFAULT_COMPACTION_BATCH = 2000;

const wholeNumber = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${label} must be a whole number` })
    .int(`${label} must be a whole number`)
    .min(min, `${label} must be at least ${min}`)
    .max(max, `${label} must be at most ${max}`);

export const FeedRetentionConfigSchema = z.object({
  /** Full history is kept for this many days; older superseded entries may be removed. */
  horizonDays: wholeNumber('the feed horizon (days)', 1, 3650).default(DEFAULT_FEED_HORIZON_DAYS),
  /** `serve` compacts this often; 0 leaves it to `compact-feed` (cron). */
  compactEveryMinutes: wholeNumber('the compaction interval (minutes)', 0, 7 * 24 * 60).default(
    DEFAULT_COMPACT_EVERY_MINUTES,
  ),
  batchSize: wholeNumber('the compaction batch', 100, 100_000).default(DEFAULT_COMPACTION_BATCH),
});
export type FeedRetentionConfig = z.infer<typeof FeedRetentionConfigSchema>;

export class FeedRetentionConfigError extends Error {}

/**
 * The configuration from `--feed-horizon-days` / `--compact-every-minutes` when given, else
 * `WARDLINE_FEED_HORIZON_DAYS` / `WARDLINE_COMPACT_EVERY_MINUTES`, else the defaults.
 */
export function readFeedRetentionConfig(
  flags: { horizonDays?: string | undefined; compactEveryMinutes?: string | undefined },
  env: NodeJS.ProcessEnv,
): FeedRetentionConfig {
  const given = (value: string | undefined) =>
    value === undefined || value === '' ? undefined : value;
  const parsed = FeedRetentionConfigSchema.safeParse({
    horizonDays: given(flags.horizonDays) ?? given(env.WARDLINE_FEED_HORIZON_DAYS),
    compactEveryMinutes:
      given(flags.compactEveryMinutes) ?? given(env.WARDLINE_COMPACT_EVERY_MINUTES),
  });
  if (!parsed.success) throw new FeedRetentionConfigError(describeZodError(parsed.error));
  return parsed.data;
}

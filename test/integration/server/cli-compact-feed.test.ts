/**
 * `npm run server -- compact-feed` against a real database: a horizon the server would misread
 * stops it with a sentence (exit 2); a run prints one JSON line of what it did, and a second run
 * finds nothing more.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seedCentralDatabase } from '../../../db/central/seed';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

const node = process.execPath;
const cli = ['--import', 'tsx', 'server/cli.ts'];
let database: TestDatabase;

async function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(node, [...cli, ...args], {
      env: { ...process.env, DATABASE_URL: database.url, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedCentralDatabase(database.db, { demo: true });
});
afterAll(async () => {
  await database.drop();
});

test('a horizon that is not a whole number of days from 1 to 3650 is refused before anything runs', async () => {
  for (const [args, env] of [
    [['compact-feed', '--feed-horizon-days', '0'], {}],
    [['compact-feed', '--feed-horizon-days', 'thirty'], {}],
    [['compact-feed'], { WARDLINE_FEED_HORIZON_DAYS: '2.5' }],
  ] as const) {
    const answer = await run([...args], { ...env });
    expect(answer.code).toBe(2);
    expect(answer.stderr).toMatch(/^Feed retention: horizonDays: the feed horizon \(days\) must/);
    expect(answer.stdout).toBe('');
  }
});

test('compact-feed prints what it did on one line; within the horizon nothing goes', async () => {
  const answer = await run(['compact-feed', '--feed-horizon-days', '7']);
  expect(answer.code).toBe(0);
  const lines = answer.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const summary = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
  // The demo data was written moments ago: younger than any horizon.
  expect(summary).toMatchObject({ horizonDays: 7, scanned: 0, removed: 0, complete: true });
  expect(summary.entriesAfter).toBe(summary.entriesBefore);
});

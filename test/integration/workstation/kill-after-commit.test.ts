/**
 * Kill after commit (issue 14): a writer process is SIGKILLed right after a commit returns, run
 * after run on one replica file. On every reopen each acknowledged entry is there with its outbox
 * mutation, the audit chain verifies, and the outbox numbers only grow.
 *
 * Seeded: WARDLINE_KILL_SEED replays a run (the seed is printed), WARDLINE_KILL_RUNS runs more.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { outbox, syncState, vitals } from '../../../db/local/schema';
import { seedLocalDatabase } from '../../../db/local/seed';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { openReplicaWithKeyFile } from '../../../main/replica';
import { verifyDeviceAuditChain } from '../../../main/services/audit';
import { seededRandom } from '../../support/seeded-random';

const CHILD = fileURLToPath(new URL('./support/commit-child.ts', import.meta.url));
const RUNS = Number(process.env.WARDLINE_KILL_RUNS ?? 6);
/** A new seed each day in CI, printed so a failure can be replayed. */
const SEED = Number(
  process.env.WARDLINE_KILL_SEED ?? new Date().toISOString().slice(0, 10).replace(/-/g, ''),
);

/** Runs the writer; resolves with the ids it acknowledged once it has been killed. */
function runWriter(file: string, run: number, commits: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, file, String(run), String(commits)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`writer ended with code ${String(code)}, not killed: ${output}`));
        return;
      }
      resolve([...output.matchAll(/^committed (\S+)$/gm)].map((match) => match[1] ?? ''));
    });
  });
}

describe('a writer killed right after each commit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-kill-'));
  const file = join(dir, 'replica.db');
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    `keeps every acknowledged entry (seed ${SEED}, ${RUNS} runs)`,
    { timeout: 300_000 },
    async () => {
      console.log(`kill-after-commit: seed ${SEED}, runs ${RUNS} (WARDLINE_KILL_SEED to replay)`);
      const setup = openReplicaWithKeyFile(file);
      seedLocalDatabase(setup, { demo: true, now: new Date() });
      setup.insert(syncState).values({ id: 1, hospitalId: DEMO_HOSPITAL_ID }).run();
      setup.$client.close();

      const random = seededRandom(SEED);
      const acknowledged: string[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        acknowledged.push(...(await runWriter(file, run, 1 + Math.floor(random() * 20))));
        const db = openReplicaWithKeyFile(file);
        try {
          const rows = db
            .select({ id: vitals.id })
            .from(vitals)
            .where(inArray(vitals.id, acknowledged))
            .all();
          expect(rows.length, `run ${run} of seed ${SEED}`).toBe(acknowledged.length);
          const mutations = db.select().from(outbox).orderBy(asc(outbox.deviceSeq)).all();
          expect(new Set(mutations.map((m) => m.rowId))).toEqual(new Set(acknowledged));
          const numbers = mutations.map((m) => m.deviceSeq);
          expect(numbers).toEqual([...new Set(numbers)].sort((a, b) => a - b));
          expect(mutations.every((m) => m.signature !== null)).toBe(true);
          expect(verifyDeviceAuditChain(db), `run ${run} of seed ${SEED}`).toEqual([]);
        } finally {
          db.$client.close();
        }
      }
      expect(acknowledged.length).toBeGreaterThanOrEqual(RUNS);
    },
  );
});

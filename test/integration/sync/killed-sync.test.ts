/**
 * The workstation's sync process is killed (SIGKILL) at random points while it pushes thousands
 * of offline entries (kills land within 60 ms of the sync starting, a batch or less), again and again. Each restart resumes from what was durably recorded:
 * the server ends with exactly one row per mutation and the replica with the server's rows.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReplicaWithKeyFile } from '../../../main/replica';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { SyncEngine } from '../../../main/sync/engine';
import { fileTokenStore } from '../../../main/sync/device-token';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { replicaVersions, serverVersions } from '../../support/convergence';
import { seededRandom } from '../../support/seeded-random';
import {
  chartManyVitals,
  enrolledWorkstation,
  type TestWorkstation,
} from '../../support/workstation';

const ENTRIES = 5000;
const CHILD = fileURLToPath(new URL('./support/sync-child.ts', import.meta.url));

/** Starts the child sync; resolves with how it ended, killing it `killAfterMs` after it began. */
function runChildSync(replica: string, tokens: string, killAfterMs: number | null) {
  return new Promise<'drained' | 'killed'>((resolve, reject) => {
    // Node itself with tsx's loader: SIGKILL of the tsx wrapper would leave its Node child
    // running on, pushing beside the next run.
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, replica, tokens], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (killAfterMs !== null && output.includes('syncing\n')) {
        setTimeout(() => child.kill('SIGKILL'), killAfterMs).unref();
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0 && output.includes('drained')) resolve('drained');
      else reject(new Error(`sync child ended with code ${String(code)}: ${output}`));
    });
  });
}

describe('a sync process killed mid-push', () => {
  let server: CentralServer;
  let ward: TestWorkstation;

  beforeAll(async () => {
    server = await startCentralServer();
    ward = await enrolledWorkstation('killed-ward', server.url, await server.enrollmentCode());
  });
  afterAll(async () => {
    await ward.close();
    await server.close();
  });

  it('resumes without loss or duplicates, kill after kill', { timeout: 180_000 }, async () => {
    chartManyVitals(ward.as('nurse@hass.example'), ENTRIES, 'killed-run');
    // The nurse's key is registered before another process pushes what she signed.
    await ward.ready();
    const replicaFile = join(ward.dir, 'replica.db');
    const tokenFile = join(ward.dir, 'device-token');
    ward.db.$client.close();

    const random = seededRandom(42);
    let kills = 0;
    let outcome: 'drained' | 'killed' = 'killed';
    for (let run = 0; run < 12 && outcome === 'killed'; run += 1) {
      // The first runs die early, at random points of the push; the last is left to finish.
      const killAfter = run < 10 ? Math.floor(random() * 60) : null;
      outcome = await runChildSync(replicaFile, tokenFile, killAfter);
      if (outcome === 'killed') kills += 1;
    }
    expect(outcome).toBe('drained');
    expect(kills).toBeGreaterThanOrEqual(3);

    const db = openReplicaWithKeyFile(replicaFile);
    try {
      const engine = new SyncEngine({ db, tokens: fileTokenStore(tokenFile) });
      expect((await engine.syncNow()).ok).toBe(true);
      expect(engine.status().pending).toBe(0);
      const stored = await server.database.db.execute<{ entries: number; distinct_notes: number }>(
        sql`select count(*)::int as entries, count(distinct notes)::int as distinct_notes
            from vitals where notes like 'killed-run %'`,
      );
      expect(stored.rows[0]).toEqual({ entries: ENTRIES, distinct_notes: ENTRIES });
      expect(replicaVersions(db, DEMO_HOSPITAL_ID)).toEqual(
        await serverVersions(server.database, DEMO_HOSPITAL_ID),
      );
    } finally {
      db.$client.close();
    }
    ward.db = openReplicaWithKeyFile(replicaFile);
  });
});

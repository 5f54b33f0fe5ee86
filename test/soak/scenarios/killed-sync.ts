/**
 * Sync killed mid-push: the workstation's sync process is SIGKILLed at random points while it
 * pushes offline entries (within 60 ms of the sync starting, a batch or less), again and again.
 * Each restart resumes from what was durably recorded; the last run is left to finish.
 */
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { openReplicaWithKeyFile } from '../../../main/replica';
import { fileTokenStore } from '../../../main/sync/device-token';
import { SyncEngine } from '../../../main/sync/engine';
import { replicaVersions, serverVersions, versionDifferences } from '../../support/convergence';
import { seededRandom } from '../../support/seeded-random';
import { chartManyVitals, enrolledWorkstation } from '../../support/workstation';
import { runChildSync } from '../children';
import { startScenarioServer } from '../scenario-server';
import { countedOutcome, type ScenarioEnv, type ScenarioOutcome } from '../outcome';

export async function killedSync(
  env: ScenarioEnv,
  options: { seed: number; entries: number; kills: number; pushBatchSize?: number },
): Promise<ScenarioOutcome> {
  const server = await startScenarioServer(env);
  try {
    const ward = await enrolledWorkstation(
      `killed-${options.seed}`,
      server.url,
      await server.enrollmentCode(),
      { ...(options.pushBatchSize ? { pushBatchSize: options.pushBatchSize } : {}) },
    );
    const replicaFile = join(ward.dir, 'replica.db');
    const tokenFile = join(ward.dir, 'device-token');
    try {
      chartManyVitals(ward.as('nurse@hass.example'), options.entries, 'killed-run');
      // The nurse's key is registered before another process pushes what she signed.
      await ward.ready();
      ward.db.$client.close();

      const random = seededRandom(options.seed);
      let kills = 0;
      let outcome: 'drained' | 'killed' = 'killed';
      for (let run = 0; run < options.kills + 2 && outcome === 'killed'; run += 1) {
        const killAfter = run < options.kills ? Math.floor(random() * 60) : null;
        outcome = await runChildSync(replicaFile, tokenFile, killAfter, options.pushBatchSize);
        if (outcome === 'killed') kills += 1;
      }

      ward.db = openReplicaWithKeyFile(replicaFile);
      const engine = new SyncEngine({
        db: ward.db,
        tokens: fileTokenStore(tokenFile),
        ...(options.pushBatchSize ? { pushBatchSize: options.pushBatchSize } : {}),
      });
      await engine.syncNow();
      const stored = await server.database.db.execute<{ entries: number; distinct_notes: number }>(
        sql`select count(*)::int as entries, count(distinct notes)::int as distinct_notes
            from vitals where notes like 'killed-run %'`,
      );
      return {
        mutations: options.entries,
        ...countedOutcome(options.entries, stored.rows[0]),
        diverged:
          engine.status().pending +
          versionDifferences(
            replicaVersions(ward.db, DEMO_HOSPITAL_ID),
            await serverVersions(server.database, DEMO_HOSPITAL_ID),
          ),
        faults: kills,
      };
    } finally {
      await ward.close();
    }
  } finally {
    await server.close();
  }
}

/**
 * Connections cut and delayed: offline entries pushed through a TCP proxy that cuts requests and
 * replies part-way and delays answers, faults drawn from the seed.
 */
import { sql } from 'drizzle-orm';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { replicaVersions, serverVersions, versionDifferences } from '../../support/convergence';
import { NO_FAULTS, startFaultProxy } from '../../support/fault-proxy';
import { chartManyVitals, enrolledWorkstation } from '../../support/workstation';
import { startScenarioServer } from '../scenario-server';
import { countedOutcome, type ScenarioEnv, type ScenarioOutcome } from '../outcome';

export async function flakyNetwork(
  env: ScenarioEnv,
  options: { seed: number; entries: number; pushBatchSize?: number },
): Promise<ScenarioOutcome & { failedSyncs: number; applied: number }> {
  const server = await startScenarioServer(env);
  const proxy = await startFaultProxy(server.url, { seed: options.seed });
  try {
    const ward = await enrolledWorkstation(
      `flaky-${options.seed}`,
      proxy.url,
      await server.enrollmentCode(),
      {
        timeoutMs: 2_000,
        // The first pull is set-up, not the fault under test: no faults yet, only a loaded machine.
        firstSyncAttempts: 5,
        ...(options.pushBatchSize ? { pushBatchSize: options.pushBatchSize } : {}),
      },
    );
    try {
      chartManyVitals(ward.as('nurse@hass.example'), options.entries, 'entry');
      proxy.plan = { cutRequest: 0.1, cutReply: 0.2, delay: 0.05, delayMs: 2_500 };
      let attempts = 0;
      let failedSyncs = 0;
      while (ward.engine.status().pending > 0 && attempts < 200) {
        attempts += 1;
        if (!(await ward.sync()).ok) failedSyncs += 1;
      }
      proxy.plan = { ...NO_FAULTS };
      // Faults over, the workstation settles as it would on its next timer syncs: a sync may
      // still outlast the short timeout on a loaded machine, and is simply run again.
      for (let settle = 0; settle < 5 && !(await ward.sync()).ok; settle += 1);

      const stored = await server.database.db.execute<{ entries: number; distinct_notes: number }>(
        sql`select count(*)::int as entries, count(distinct notes)::int as distinct_notes
            from vitals where notes like 'entry %'`,
      );
      const applied = await server.database.db.execute<{ n: number }>(
        sql`select count(*)::int as n from applied_mutations where table_name = 'vitals'`,
      );
      const counted = countedOutcome(options.entries, stored.rows[0]);
      const appliedCount = applied.rows[0]?.n ?? 0;
      return {
        mutations: options.entries,
        lost: counted.lost,
        // A mutation recorded as applied twice is doubled even if its row was not.
        doubled: counted.doubled + Math.max(0, appliedCount - options.entries),
        diverged:
          ward.engine.status().pending +
          versionDifferences(
            replicaVersions(ward.db, DEMO_HOSPITAL_ID),
            await serverVersions(server.database, DEMO_HOSPITAL_ID),
          ),
        faults: proxy.stats.cutReplies + proxy.stats.cutRequests + proxy.stats.delayed,
        failedSyncs,
        applied: appliedCount,
      };
    } finally {
      await ward.close();
    }
  } finally {
    await proxy.close();
    await server.close();
  }
}

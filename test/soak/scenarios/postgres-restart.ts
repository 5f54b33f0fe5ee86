/**
 * PostgreSQL restarted: the central database cluster is stopped and started again while a
 * workstation pushes offline entries through a running server. The server's pool loses every
 * connection; requests in flight fail; the push resumes once the database is back. The cluster is
 * the scenario's own (the tests' shared cluster cannot be stopped under other tests); the soak
 * keeps it running between runs (KeptCluster), so that only the first run pays for initdb and
 * start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../../server/db/embedded-postgres';
import { replicaVersions, serverVersions, versionDifferences } from '../../support/convergence';
import { freePort } from '../../support/free-port';
import { seededRandom } from '../../support/seeded-random';
import { chartManyVitals, enrolledWorkstation } from '../../support/workstation';
import { startScenarioServer } from '../scenario-server';
import { countedOutcome, type ScenarioOutcome } from '../outcome';

export async function postgresRestart(options: {
  seed: number;
  entries: number;
  /** Mutations per push batch (SOAK_PUSH_BATCH in the soak); the protocol's 500 otherwise. */
  pushBatchSize?: number;
  /** The soak's cluster, kept running from one run to the next; a temporary one otherwise. */
  kept?: KeptCluster;
}): Promise<ScenarioOutcome> {
  const kept = options.kept;
  const dataDir = kept?.dataDir ?? mkdtempSync(join(tmpdir(), 'wardline-pg-restart-'));
  const port = kept?.port ?? (await freePort());
  if (kept) kept.port = port;
  const start = () => startEmbeddedPostgres({ dataDir, port, database: 'postgres' });
  let cluster: EmbeddedDatabase = kept?.running ?? (await start());
  if (kept) kept.running = undefined;
  let healthy = false;
  try {
    const server = await startScenarioServer({ adminUrl: cluster.url });
    try {
      const ward = await enrolledWorkstation(
        `pg-restart-${options.seed}`,
        server.url,
        await server.enrollmentCode(),
        { ...(options.pushBatchSize ? { pushBatchSize: options.pushBatchSize } : {}) },
      );
      try {
        chartManyVitals(ward.as('nurse@hass.example'), options.entries, 'pg-restart');
        await ward.ready();
        // Restart the cluster once a seeded share of the push is acknowledged.
        const stopAfter = Math.floor(seededRandom(options.seed)() * (options.entries / 2));
        const restart: { done?: Promise<void> } = {};
        const unsubscribe = ward.engine.subscribe((status) => {
          const { phase, done } = status.activity;
          if (!restart.done && phase === 'pushing' && done > stopAfter) {
            restart.done = (async () => {
              await cluster.stop();
              cluster = await start();
            })();
          }
        });
        await ward.sync();
        unsubscribe();
        if (restart.done) await restart.done;
        for (let attempt = 0; ward.engine.status().pending > 0 && attempt < 10; attempt += 1) {
          await ward.sync();
        }
        // A final run pulls what the last push's answers did not carry.
        await ward.sync();
        healthy = true;

        const stored = await server.database.db.execute<{
          entries: number;
          distinct_notes: number;
        }>(
          sql`select count(*)::int as entries, count(distinct notes)::int as distinct_notes
              from vitals where notes like 'pg-restart %'`,
        );
        return {
          mutations: options.entries,
          ...countedOutcome(options.entries, stored.rows[0]),
          diverged:
            ward.engine.status().pending +
            versionDifferences(
              replicaVersions(ward.db, DEMO_HOSPITAL_ID),
              await serverVersions(server.database, DEMO_HOSPITAL_ID),
            ),
          faults: restart.done ? 1 : 0,
        };
      } finally {
        await ward.close();
      }
    } finally {
      await server.close();
    }
  } finally {
    // Kept for the next run only after a run that ended with the cluster up and answering.
    if (kept && healthy) kept.running = cluster;
    else await cluster.stop();
    if (!kept) rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The cluster of the soak's PostgreSQL runs: only the restart inside a run is the fault, so the
 * start before and the stop after are paid once per soak, not per run (the caller stops it).
 */
export interface KeptCluster {
  dataDir: string;
  port?: number;
  running?: EmbeddedDatabase | undefined;
}

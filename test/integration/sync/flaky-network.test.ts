/**
 * Thousands of offline entries pushed through a network that cuts requests and replies part-way
 * and delays answers: the server ends with exactly one row per mutation, and the workstation
 * with the server's rows.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { replicaVersions, serverVersions } from '../../support/convergence';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import {
  chartManyVitals,
  enrolledWorkstation,
  type TestWorkstation,
} from '../../support/workstation';

const ENTRIES = 2000;

describe('sync over a flaky network', () => {
  let server: CentralServer;
  let proxy: FaultProxy;
  let ward: TestWorkstation;

  beforeAll(async () => {
    server = await startCentralServer();
    proxy = await startFaultProxy(server.url, { seed: 20261123 });
    ward = await enrolledWorkstation('flaky-ward', proxy.url, await server.enrollmentCode(), {
      timeoutMs: 2_000,
    });
  });
  afterAll(async () => {
    await ward.close();
    await proxy.close();
    await server.close();
  });

  it('delivers every entry exactly once however often the connection drops', async () => {
    chartManyVitals(ward.as('nurse@hass.example'), ENTRIES, 'entry');
    proxy.plan = { cutRequest: 0.1, cutReply: 0.2, delay: 0.05, delayMs: 2_500 };

    let attempts = 0;
    let failures = 0;
    while (ward.engine.status().pending > 0 && attempts < 200) {
      attempts += 1;
      if (!(await ward.sync()).ok) failures += 1;
    }
    proxy.plan = { cutRequest: 0, cutReply: 0, delay: 0, delayMs: 0 };
    expect((await ward.sync()).ok).toBe(true);

    expect(ward.engine.status().pending).toBe(0);
    expect(failures).toBeGreaterThan(0);
    expect(proxy.stats.cutReplies + proxy.stats.cutRequests).toBeGreaterThan(0);
    const stored = await server.database.db.execute<{ entries: number; distinct_notes: number }>(
      sql`select count(*)::int as entries, count(distinct notes)::int as distinct_notes
          from vitals where notes like 'entry %'`,
    );
    expect(stored.rows[0]).toEqual({ entries: ENTRIES, distinct_notes: ENTRIES });
    const applied = await server.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from applied_mutations where table_name = 'vitals'`,
    );
    expect(applied.rows[0]?.n).toBe(ENTRIES);
    expect(replicaVersions(ward.db, DEMO_HOSPITAL_ID)).toEqual(
      await serverVersions(server.database, DEMO_HOSPITAL_ID),
    );
  });
});

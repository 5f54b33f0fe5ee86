/**
 * The engine's behaviour around the network: online/offline from real calls, one sync at a time,
 * a sync right after a local write, and catching up by itself when the network returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../main/sync/engine';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import {
  chartManyVitals,
  enrolledWorkstation,
  type TestWorkstation,
} from '../../support/workstation';

/** Resolves with the first status the engine publishes that satisfies `test`. */
function statusWhere(
  ws: TestWorkstation,
  test: (status: SyncStatus) => boolean,
): Promise<SyncStatus> {
  return new Promise((resolve) => {
    const stop = ws.engine.subscribe((status) => {
      if (test(status)) {
        stop();
        resolve(status);
      }
    });
  });
}

/** fetch that counts the requests in flight at once: two syncs at once would show as two. */
const inFlight = { now: 0, most: 0 };
const countingFetch: typeof fetch = async (input, init) => {
  inFlight.now += 1;
  inFlight.most = Math.max(inFlight.most, inFlight.now);
  try {
    return await fetch(input, init);
  } finally {
    inFlight.now -= 1;
  }
};

describe('the sync engine', () => {
  let server: CentralServer;
  let proxy: FaultProxy;
  let ward: TestWorkstation;

  beforeAll(async () => {
    server = await startCentralServer();
    proxy = await startFaultProxy(server.url, { seed: 7 });
    ward = await enrolledWorkstation('engine-ward', proxy.url, await server.enrollmentCode(), {
      timeoutMs: 5_000,
      fetch: countingFetch,
    });
  });
  afterAll(async () => {
    await ward.close();
    await proxy.close();
    await server.close();
  });

  it('is online after an answered sync and offline when calls get no answer', async () => {
    expect(ward.engine.status().online).toBe(true);
    proxy.setDown(true);
    const result = await ward.sync();
    expect(result.ok).toBe(false);
    expect(ward.engine.status().online).toBe(false);
    expect(ward.engine.status().lastError).toMatch(/did not answer/);
    proxy.setDown(false);
    expect((await ward.sync()).ok).toBe(true);
    expect(ward.engine.status().online).toBe(true);
  });

  it('never runs two syncs at once', async () => {
    chartManyVitals(ward.as('nurse@hass.example'), 600, 'engine-concurrent');
    inFlight.most = 0;
    const runs = await Promise.all([ward.sync(), ward.sync(), ward.sync()]);
    expect(runs.every((run) => run.ok)).toBe(true);
    expect(ward.engine.status().pending).toBe(0);
    const pushes = await server.database.db.$client.query<{ n: number }>(
      "select count(*)::int as n from applied_mutations where status = 'applied' and table_name = 'vitals'",
    );
    expect(pushes.rows[0]?.n).toBeGreaterThanOrEqual(600);
    expect(inFlight.most).toBe(1);
  });

  it('syncs right after a local write, and catches up by itself when the network returns', async () => {
    ward.engine.start();
    try {
      proxy.setDown(true);
      chartManyVitals(ward.as('nurse@hass.example'), 5, 'engine-outage');
      ward.engine.notifyLocalWrite();
      await statusWhere(ward, (status) => status.online === false);
      expect(ward.engine.status().pending).toBe(5);

      const drained = statusWhere(ward, (status) => status.online === true && status.pending === 0);
      proxy.setDown(false);
      const status = await drained;
      expect(status.lastSuccessAt).not.toBeNull();
    } finally {
      await ward.engine.stop();
    }
  });
});

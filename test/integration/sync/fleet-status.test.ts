/**
 * A workstation's status with each push (SYNC-PROTOCOL.md "Fleet"), against the real server: it
 * says what would stay unsent once the push is taken, so a push cut off half way leaves the
 * server knowing how many changes the workstation still holds and since when; with nothing to
 * send it reports only when something changed, or after a while.
 */
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { outbox } from '../../../db/local/schema';
import { STATUS_REFRESH_MS } from '../../../main/sync/device-status';
import { pushOutbox } from '../../../main/sync/push';
import { readSyncState } from '../../../main/sync/sync-state';
import { TransportError, type SyncTransport } from '../../../main/sync/transport';
import { WORKSTATION_VERSION } from '../../../main/version';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import {
  chartManyVitals,
  enrolledWorkstation,
  type TestWorkstation,
} from '../../support/workstation';

const NURSE = 'nurse@hass.example';
let server: CentralServer;
let ward: TestWorkstation;

interface StoredStatus {
  app_version: string | null;
  outbox_pending: number | null;
  oldest_pending_at: Date | null;
  last_pull_at: Date | null;
  clock_skew_ms: number | null;
  status_at: Date | null;
}

async function storedStatus(): Promise<StoredStatus> {
  const deviceId = readSyncState(ward.db).deviceId;
  const result = await server.database.db.$client.query<StoredStatus>(
    `select app_version, outbox_pending, oldest_pending_at, last_pull_at, clock_skew_ms, status_at
       from devices where id = $1`,
    [deviceId],
  );
  const row = result.rows[0];
  if (!row) throw new Error('the workstation is not on the server');
  return row;
}

function transportOf(ws: TestWorkstation): SyncTransport {
  const transport = ws.engine.transport();
  if (!transport) throw new Error(`${ws.name} is not enrolled`);
  return transport;
}

/** The real transport, counting pushes; after `cutAfter` pushes the network is gone. */
function countingTransport(cutAfter = Infinity) {
  const real = transportOf(ward);
  const counted = { pushes: 0 };
  const transport: SyncTransport = {
    ...real,
    push: async (request) => {
      counted.pushes += 1;
      if (counted.pushes > cutAfter)
        throw new TransportError('unreachable', 'The server did not answer (test cut).');
      return real.push(request);
    },
  };
  return { transport, counted };
}

beforeAll(async () => {
  server = await startCentralServer();
  ward = await enrolledWorkstation('fleet-ward', server.url, await server.enrollmentCode());
});

afterAll(async () => {
  await ward.close();
  await server.close();
});

describe('status with each push', () => {
  test('a workstation that sent everything reports its version, nothing unsent and its clock', async () => {
    chartManyVitals(ward.as(NURSE), 2, 'fleet sent');
    const sync = await ward.sync();
    expect(sync).toMatchObject({ ok: true, pushed: 2 });
    const stored = await storedStatus();
    expect(stored).toMatchObject({
      app_version: WORKSTATION_VERSION,
      outbox_pending: 0,
      oldest_pending_at: null,
    });
    expect(stored.clock_skew_ms).not.toBeNull();
    expect(stored.last_pull_at).not.toBeNull();
    expect(stored.status_at).not.toBeNull();
  });

  test('a push cut off after its first batch leaves the server knowing what stays unsent', async () => {
    for (let i = 0; i < 3; i += 1) chartManyVitals(ward.as(NURSE), 1, `fleet cut ${i}`);
    await ward.ready();
    const queued = ward.db.select().from(outbox).orderBy(asc(outbox.deviceSeq)).all();
    expect(queued).toHaveLength(3);
    const { transport } = countingTransport(1);
    await expect(pushOutbox(ward.db, transport, { batchSize: 1 })).rejects.toThrow(TransportError);
    const stored = await storedStatus();
    expect(stored.outbox_pending).toBe(2);
    expect(stored.oldest_pending_at?.toISOString()).toBe(queued[1]?.clientTime);

    expect(await ward.sync()).toMatchObject({ ok: true, pushed: 2 });
    expect(await storedStatus()).toMatchObject({ outbox_pending: 0, oldest_pending_at: null });
    expect(ward.db.select().from(outbox).where(eq(outbox.status, 'pending')).all()).toEqual([]);
  });

  test('with nothing to send, the status goes alone only when it changed or grew old', async () => {
    const { transport, counted } = countingTransport();
    await pushOutbox(ward.db, transport);
    expect(counted.pushes).toBe(0);

    const later = new Date(Date.now() + STATUS_REFRESH_MS + 1_000);
    await pushOutbox(ward.db, transport, { now: () => later });
    expect(counted.pushes).toBe(1);

    await pushOutbox(ward.db, transport, { appVersion: '9.9.9' });
    expect(counted.pushes).toBe(2);
    expect((await storedStatus()).app_version).toBe('9.9.9');
  });
});

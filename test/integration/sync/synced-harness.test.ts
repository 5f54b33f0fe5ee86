/**
 * The workstation as the browser demo runs it: enrolled with the real server, signing people in
 * through it (and from cached credentials when it is gone), and syncing what they record.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visits } from '../../../db/local/schema';
import type { AppRouter } from '../../../main/api/router';
import { startSyncedHarness, type SyncedHarness } from '../../harness/synced-harness';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';

describe('a harness workstation synced with the real server', () => {
  let server: CentralServer;
  let proxy: FaultProxy;
  let harness: SyncedHarness;
  let dataDir: string;

  beforeAll(async () => {
    server = await startCentralServer();
    proxy = await startFaultProxy(server.url, { seed: 11 });
    dataDir = mkdtempSync(join(tmpdir(), 'wardline-synced-harness-'));
    harness = await startSyncedHarness({
      dataDir,
      serverUrl: proxy.url,
      enrollmentCode: () => server.enrollmentCode(),
    });
  });
  afterAll(async () => {
    await harness.close();
    await proxy.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const client = () =>
    createTRPCClient<AppRouter>({ links: [httpLink({ url: `${harness.url}/trpc` })] });

  it('signs a nurse in through the server and syncs what she records', async () => {
    const api = client();
    const session = await api.auth.login.mutate({
      email: 'nurse@hass.example',
      password: 'nurse123',
    });
    expect(session.mode).toBe('online');
    const status = await api.sync.status.query();
    expect(status).toMatchObject({ enrolled: true, online: true, pending: 0 });

    const visit = harness.workstation.db
      .select()
      .from(visits)
      .where(eq(visits.status, 'admitted'))
      .get();
    if (!visit) throw new Error('no admitted visit pulled');
    await api.vitals.record.mutate({ visitId: visit.id, heartRate: 131, notes: 'harness entry' });
    expect((await api.sync.status.query()).pending).toBeGreaterThan(0);
    expect((await api.sync.syncNow.mutate()).ok).toBe(true);
    expect((await api.sync.status.query()).pending).toBe(0);
    const stored = await server.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from vitals where notes = 'harness entry'`,
    );
    expect(stored.rows[0]?.n).toBe(1);
  });

  it('signs her in from cached credentials while the server is unreachable, and never a wrong password', async () => {
    const api = client();
    await api.auth.logout.mutate();
    proxy.setDown(true);
    try {
      const session = await api.auth.login.mutate({
        email: 'nurse@hass.example',
        password: 'nurse123',
      });
      expect(session.mode).toBe('offline');
      await expect(
        api.auth.login.mutate({ email: 'nurse@hass.example', password: 'wrong' }),
      ).rejects.toThrow();
      const status = await api.sync.status.query();
      expect(status.online).toBe(false);
    } finally {
      proxy.setDown(false);
    }
  });
});

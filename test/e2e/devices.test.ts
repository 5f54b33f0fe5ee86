/**
 * The Devices screen, in a real browser against a workstation enrolled with the real central
 * server: a second workstation loses its network half way through sending its changes; the
 * administrator sees it at the top, with the changes it still holds and a mark for not having
 * synced for over a day, in a list read in their name that the server records. Offline, the
 * screen shows the list it read, saying when.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pushOutbox } from '../../main/sync/push';
import { readSyncState } from '../../main/sync/sync-state';
import { startSyncedHarness, type SyncedHarness } from '../harness/synced-harness';
import { startCentralServer, type CentralServer } from '../support/central-server';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { chartManyVitals, enrolledWorkstation, type TestWorkstation } from '../support/workstation';
import {
  launchBrowser,
  screenshot,
  seriousViolations,
  signIn,
  type E2eBrowser,
} from './support/browser';
import { buildRenderer } from './support/renderer-build';

let server: CentralServer;
let deskProxy: FaultProxy;
let wardProxy: FaultProxy;
let harness: SyncedHarness;
let ward: TestWorkstation;
let dataDir: string;
let browser: E2eBrowser;
let page: Page;

beforeAll(async () => {
  const staticDir = await buildRenderer();
  server = await startCentralServer();
  deskProxy = await startFaultProxy(server.url, { seed: 16 });
  wardProxy = await startFaultProxy(server.url, { seed: 17 });
  dataDir = mkdtempSync(join(tmpdir(), 'wardline-e2e-devices-'));
  harness = await startSyncedHarness({
    dataDir,
    serverUrl: deskProxy.url,
    enrollmentCode: () => server.enrollmentCode(),
    staticDir,
    intervalMs: 1_000,
  });
  ward = await enrolledWorkstation('Ward C desk', wardProxy.url, await server.enrollmentCode(), {
    timeoutMs: 5_000,
  });
  // axe is injected as a script, which only this browser's CSP bypass allows.
  browser = await launchBrowser({ injectsScripts: true });
  page = await browser.newPage(harness.url);
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail')
    await screenshot(page, `failed-${context.task.name.replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser.close();
  await ward.close();
  await harness.engine.stop();
  await harness.close();
  await wardProxy.close();
  await deskProxy.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const rows = () => page.getByTestId('fleet-list').locator('tbody tr[data-device-id]');

describe('the Devices screen', () => {
  it('shows the workstation that went offline holding changes at the top, with its unsent count', async () => {
    // Ward C's nurse charts three sets of vitals; its network goes after the first is sent.
    for (let i = 0; i < 3; i += 1) chartManyVitals(ward.as('nurse@hass.example'), 1, `ward C ${i}`);
    await ward.ready();
    const transport = ward.engine.transport();
    if (!transport) throw new Error('Ward C is not enrolled');
    await expect(
      pushOutbox(ward.db, transport, {
        batchSize: 1,
        onBatch: (done) => {
          if (done === 1) wardProxy.setDown(true);
        },
      }),
    ).rejects.toThrow(/did not answer/);
    const wardId = readSyncState(ward.db).deviceId ?? '';
    // …and it stays away: the server last heard from it 30 hours ago.
    await server.database.db.$client.query(
      `update devices set last_seen_at = now() - interval '30 hours' where id = $1`,
      [wardId],
    );

    await signIn(page, 'admin@hass.example', 'admin123');
    await page.getByRole('button', { name: /^Devices/ }).click();
    await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
    await page.getByTestId('fleet-read-at').waitFor();
    const first = rows().first();
    await expect(first.getAttribute('data-device-id')).resolves.toBe(wardId);
    await expect(first.getByTestId('fleet-unsent').textContent()).resolves.toBe('2');
    await expect(first.getAttribute('data-silent')).resolves.toBe('true');
    await expect(first.textContent()).resolves.toContain('Not synced for over 24 h');
    await expect(first.textContent()).resolves.toContain('Ward C desk');
    const desk = rows().filter({ hasText: 'this one' });
    await expect(desk.getByTestId('fleet-unsent').textContent()).resolves.toBe('0');
    await expect(desk.getAttribute('data-silent')).resolves.toBe('false');

    const reads = await server.database.db.$client.query<{ outcome: string }>(
      `select r.outcome from signed_reads r join users u on u.id = r.user_id
        where u.email = 'admin@hass.example' and r.action = 'devices.read'`,
    );
    expect(reads.rows).toEqual([{ outcome: 'answered' }]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'devices-01-ward-offline-with-unsent-changes');
  });

  it('is reached from the keyboard, and offline shows the list it read, saying when', async () => {
    await page.getByRole('button', { name: /^Sync/ }).click();
    await page.getByRole('heading', { name: 'Sync', exact: true }).waitFor();
    await page.keyboard.press('Alt+9');
    await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();

    deskProxy.setDown(true);
    await page.getByTestId('offline-banner').waitFor();
    await page.getByRole('button', { name: 'Read again' }).focus();
    await page.keyboard.press('Enter');
    const remembered = page.getByTestId('fleet-remembered');
    await remembered.waitFor();
    await expect(remembered.textContent()).resolves.toMatch(/As read at \d+ \w+ \d\d:\d\d/);
    await expect(rows().first().getByTestId('fleet-unsent').textContent()).resolves.toBe('2');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'devices-02-offline-as-read-earlier');
    deskProxy.setDown(false);
  });
});

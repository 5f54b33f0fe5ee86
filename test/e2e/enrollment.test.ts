/**
 * A fresh workstation's first start, in a real browser against the real central server: IT meets
 * the enrollment screen instead of a sign-in nobody could pass, a wrong code and a wrong address
 * get sentences next to their fields, a real single-use code enrolls, the first sync shows its
 * progress (the snapshot held at its second page by a gate, so the screen can be seen mid-sync:
 * rows of the total, the rate and the time left), and then the nurse signs in online.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSyncedHarness, type SyncedHarness } from '../harness/synced-harness';
import { startCentralServer, type CentralServer } from '../support/central-server';
import { freePort } from '../support/free-port';
import {
  launchBrowser,
  screenshot,
  seriousViolations,
  signIn,
  type E2eBrowser,
} from './support/browser';
import { buildRenderer } from './support/renderer-build';

interface SyncRelay {
  url: string;
  /** Resolves when the snapshot's second page has been asked for and is held at the relay. */
  held: Promise<void>;
  release(): void;
  /** While true, snapshot pages and pulls are answered 503 as by a gateway whose server is down. */
  failPulls: boolean;
  close(): Promise<void>;
}

/**
 * An HTTP relay in front of the server that holds every snapshot page after the first until
 * released, so the first-sync screen stays up with its progress without any sleep; and that can
 * fail the snapshot and the pull, so a first sync cannot finish.
 */
async function startSyncRelay(target: string): Promise<SyncRelay> {
  let release: () => void = () => undefined;
  const released = new Promise<void>((done) => {
    release = done;
  });
  let markHeld: () => void = () => undefined;
  const held = new Promise<void>((done) => {
    markHeld = done;
  });
  const relayed: SyncRelay = {
    url: '',
    held,
    release: () => {
      release();
    },
    failPulls: false,
    close: () =>
      new Promise<void>((done) => {
        relay.closeAllConnections();
        relay.close(() => {
          done();
        });
      }),
  };
  const relay: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const path = new URL(req.url ?? '/', 'http://relay').pathname;
        const token = new URL(req.url ?? '/', 'http://relay').searchParams.get('token');
        if (relayed.failPulls && ['/v1/sync/pull', '/v1/sync/snapshot'].includes(path)) {
          res.writeHead(503).end();
          return;
        }
        if (path === '/v1/sync/snapshot' && token !== null) {
          markHeld();
          await released;
        }
        const headers = new Headers();
        for (const name of ['authorization', 'content-type', 'accept']) {
          const value = req.headers[name];
          if (typeof value === 'string') headers.set(name, value);
        }
        const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
        const answer = await fetch(`${target}${req.url ?? '/'}`, {
          method: req.method ?? 'GET',
          headers,
          ...(body ? { body } : {}),
        });
        res.writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/octet-stream',
        });
        res.end(Buffer.from(await answer.arrayBuffer()));
      })().catch(() => {
        res.destroy();
      });
    });
  });
  await new Promise<void>((done) => relay.listen(0, '127.0.0.1', done));
  relayed.url = `http://127.0.0.1:${String((relay.address() as AddressInfo).port)}`;
  return relayed;
}

let server: CentralServer;
let gate: SyncRelay;
let harness: SyncedHarness;
let dataDir: string;
let browser: E2eBrowser;
let page: Page;

beforeAll(async () => {
  const staticDir = await buildRenderer();
  server = await startCentralServer();
  gate = await startSyncRelay(server.url);
  dataDir = mkdtempSync(join(tmpdir(), 'wardline-e2e-enroll-'));
  // No code and no preset server: the workstation as a fresh install without IT's config.
  harness = await startSyncedHarness({
    dataDir,
    staticDir,
    deviceName: 'Ward 2 desk',
    // The desktop app's first sync, in pages small enough that the demo hospital takes several.
    replica: { snapshot: true, dischargedWithinDays: null, snapshotPageRows: 50 },
  });
  // axe is injected as an inline script, which the renderer's CSP forbids in every other test.
  browser = await launchBrowser({ injectsScripts: true });
  page = await browser.newPage(harness.url);
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail')
    await screenshot(page, `failed-${context.task.name.replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  gate.release();
  await browser.close();
  await harness.close();
  await gate.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const field = (label: string) => page.getByRole('textbox', { name: label });

describe('enrolling a fresh workstation', () => {
  it('shows the enrollment screen, not a sign-in nobody could pass', async () => {
    await page.getByRole('heading', { name: 'Set up this workstation' }).waitFor();
    await expect(page.getByLabel('Email').count()).resolves.toBe(0);
    await expect(field('Workstation name').inputValue()).resolves.toBe('Ward 2 desk');
    await expect(page.getByTestId('enrollment-screen').textContent()).resolves.toContain(
      'IT creates a code',
    );
    await screenshot(page, 'enroll-01-first-start');
    await expect(seriousViolations(page)).resolves.toEqual([]);
  });

  it('names the address when no server answers there', async () => {
    const silent = `http://127.0.0.1:${String(await freePort())}`;
    await field('Server address').fill(silent);
    await field('Enrollment code').fill('ABCDEF');
    await field('Enrollment code').press('Enter');
    await page.getByText(`The server at ${silent} did not answer`).waitFor();
    await expect(field('Server address').getAttribute('aria-invalid')).resolves.toBe('true');
  });

  it('refuses a plain http:// address on the network next to the address field', async () => {
    await field('Server address').fill('http://10.20.30.40:8080');
    await field('Enrollment code').fill('ABCDEF');
    await field('Enrollment code').press('Enter');
    await page.getByText('Wardline connects to its server only over https://').waitFor();
    await expect(field('Server address').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(harness.engine.status().enrolled).toBe(false);
  });

  it('shows a wrong code next to the code field, and nothing is enrolled', async () => {
    await field('Server address').fill(gate.url);
    await field('Enrollment code').fill('not-a-real-code');
    await field('Enrollment code').press('Enter');
    await page.getByText('That enrollment code is not valid').waitFor();
    await expect(field('Enrollment code').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(harness.engine.status().enrolled).toBe(false);
    await screenshot(page, 'enroll-02-wrong-code');
    await expect(seriousViolations(page)).resolves.toEqual([]);
  });

  it('enrolls with a code from IT and shows the first sync fetching the hospital', async () => {
    // Every answer the page gets from the main process, to prove none carries the token.
    const answers: Promise<string>[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/trpc/'))
        answers.push(response.text().catch(() => ''));
    });
    const code = await server.enrollmentCode();
    await field('Enrollment code').fill(code);
    await field('Enrollment code').press('Enter');
    await page.getByRole('heading', { name: 'Workstation enrolled' }).waitFor();
    await gate.held;
    const token = readFileSync(join(dataDir, 'device-token'), 'utf8').trim();
    expect(token.length).toBeGreaterThan(20);
    const seen = await Promise.all(answers);
    expect(seen.some((body) => body.includes('"enrolled":true'))).toBe(true);
    expect(seen.filter((body) => body.includes(token) || body.includes(code))).toEqual([]);
    // The first page is loaded and the second is held: the progress stands still on the screen.
    await page.locator('[data-testid="first-sync"]:not([data-rows="0"])').waitFor();
    const rows = Number(await page.getByTestId('first-sync').getAttribute('data-rows'));
    expect(rows).toBe(50);
    const { total } = harness.engine.status().activity;
    expect(total).toBeGreaterThan(100);
    await page
      .getByText(`Fetching the hospital's data: 50 rows of ${(total ?? 0).toLocaleString('en-US')}`)
      .waitFor();
    await page.getByText(/[\d,]+ rows a second, about .+ left/).waitFor();
    expect(harness.engine.status().enrolled).toBe(true);
    await screenshot(page, 'enroll-03-first-sync');
    await expect(seriousViolations(page)).resolves.toEqual([]);
  });

  it('opens sign-in once the first sync is done, and the nurse signs in online', async () => {
    gate.release();
    await page.getByRole('heading', { name: 'Wardline' }).waitFor();
    await screenshot(page, 'enroll-04-sign-in');
    await signIn(page, 'nurse@hass.example', 'nurse123');
    const session = harness.workstation.sessions.status();
    expect(session.state === 'active' ? session.mode : session.state).toBe('online');
    await page.getByTestId('ward-grid').waitFor();
    await screenshot(page, 'enroll-05-signed-in');
  });

  it('a reload stays past enrollment: the workstation is enrolled for good', async () => {
    await page.reload();
    await page.getByTestId('signed-in-user').waitFor();
    await expect(page.getByTestId('enrollment-screen').count()).resolves.toBe(0);
  });
});

describe('a workstation whose server IT preset', () => {
  it('shows the address read-only, enrolls with the code alone, and waits out a first sync that cannot finish yet', async () => {
    const relay = await startSyncRelay(server.url);
    relay.release();
    relay.failPulls = true;
    const presetDir = mkdtempSync(join(tmpdir(), 'wardline-e2e-enroll-preset-'));
    const preset = await startSyncedHarness({
      dataDir: presetDir,
      serverUrl: relay.url,
      staticDir: await buildRenderer(),
    });
    const presetPage = await browser.newPage(preset.url);
    try {
      const address = presetPage.getByRole('textbox', { name: 'Server address' });
      await expect(address.inputValue()).resolves.toBe(relay.url);
      await expect(address.getAttribute('readonly')).resolves.not.toBeNull();
      await expect(seriousViolations(presetPage)).resolves.toEqual([]);
      await screenshot(presetPage, 'enroll-06-preset-address');
      const code = presetPage.getByRole('textbox', { name: 'Enrollment code' });
      await code.fill(await server.enrollmentCode());
      await code.press('Enter');

      await presetPage
        .getByRole('alert')
        .getByText('The first sync has not finished yet')
        .waitFor();
      await presetPage.getByText('Wardline keeps trying by itself').waitFor();
      await screenshot(presetPage, 'enroll-07-first-sync-failed');
      await expect(seriousViolations(presetPage)).resolves.toEqual([]);
      await expect(presetPage.getByLabel('Email').count()).resolves.toBe(0);
      // The server's pulls come back: the engine's health probe (every 5 s) notices and syncs.
      relay.failPulls = false;
      await presetPage.getByRole('heading', { name: 'Wardline' }).waitFor({ timeout: 30_000 });
      await signIn(presetPage, 'nurse@hass.example', 'nurse123');
      expect(preset.engine.status()).toMatchObject({ enrolled: true });
    } catch (error) {
      await screenshot(presetPage, 'failed-preset-workstation');
      throw error;
    } finally {
      await presetPage.close();
      await preset.close();
      await relay.close();
      rmSync(presetDir, { recursive: true, force: true });
    }
  });
});

/**
 * Alerts reach people (issue 13), in Chromium, on two workstations synced with the real central
 * server (PostgreSQL), each behind its own network that can go down: two nurses chart the same
 * dose offline; when they come back, within one sync the second nurse is told who charted it
 * first, when and on which workstation, and both ward boards show the alert; acknowledging it on
 * one clears it on the other. The same for two offline admissions into one bed, whose conflict
 * card in the Sync screen reads in clinical words.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerPatient } from '../../main/services/patients';
import { startSyncedHarness, type SyncedHarness } from '../harness/synced-harness';
import { startCentralServer, type CentralServer } from '../support/central-server';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { enrolledWorkstation } from '../support/workstation';
import { launchBrowser, screenshot, signIn, type E2eBrowser } from './support/browser';
import { buildRenderer } from './support/renderer-build';

interface Ward {
  name: string;
  proxy: FaultProxy;
  harness: SyncedHarness;
  dataDir: string;
  page: Page;
}

let server: CentralServer;
let browser: E2eBrowser;
let wardA: Ward;
let wardB: Ward;

async function openWard(name: string, staticDir: string): Promise<Ward> {
  const proxy = await startFaultProxy(server.url, { seed: name.length });
  const dataDir = mkdtempSync(join(tmpdir(), 'wardline-e2e-alerts-'));
  const harness = await startSyncedHarness({
    dataDir,
    serverUrl: proxy.url,
    enrollmentCode: () => server.enrollmentCode(),
    deviceName: name,
    staticDir,
    intervalMs: 1_000,
  });
  const page = await browser.newPage(harness.url);
  return { name, proxy, harness, dataDir, page };
}

async function closeWard(ward: Ward | undefined): Promise<void> {
  if (!ward) return;
  await ward.harness.close();
  await ward.proxy.close();
  rmSync(ward.dataDir, { recursive: true, force: true });
}

beforeAll(async () => {
  const staticDir = await buildRenderer();
  server = await startCentralServer();
  browser = await launchBrowser();
  wardA = await openWard('Ward A workstation', staticDir);
  wardB = await openWard('Ward B workstation', staticDir);
});

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return;
  const name = context.task.name.replace(/\W+/g, '-');
  await screenshot(wardA.page, `failed-${name}-ward-a`);
  await screenshot(wardB.page, `failed-${name}-ward-b`);
});

afterAll(async () => {
  await browser.close();
  await closeWard(wardA);
  await closeWard(wardB);
  await server.close();
});

const pendingIs = (page: Page, count: number) =>
  page
    .getByTestId('sync-pending')
    .and(page.locator(`[data-count="${String(count)}"]`))
    .waitFor();

async function goOffline(ward: Ward): Promise<void> {
  ward.proxy.setDown(true);
  await ward.page.getByTestId('offline-banner').waitFor();
}

async function comeBack(ward: Ward): Promise<void> {
  ward.proxy.setDown(false);
  await ward.page.getByTestId('sync-state').filter({ hasText: 'Online' }).waitFor();
  await pendingIs(ward.page, 0);
}

async function openScreen(page: Page, name: RegExp): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name }).click();
}

const bedAlert = (page: Page, bed: string) =>
  page.getByTestId(`bed-${bed}`).getByTestId('bed-alert');

/** Closes the notices a person has read (they stay until closed), as the nurse would. */
async function closeNotices(page: Page): Promise<void> {
  const close = page.getByRole('button', { name: /^Close: / });
  for (let open = await close.count(); open > 0; open = await close.count()) {
    await close.first().click();
    await page.waitForFunction(
      (before) => document.querySelectorAll('[aria-label^="Close: "]').length < before,
      open,
    );
  }
}

async function acknowledgeFirstAlert(page: Page, note: string): Promise<void> {
  await openScreen(page, /Alerts/);
  const card = page.getByTestId('alert-card').first();
  await card.getByRole('button', { name: /^Acknowledge / }).click();
  const dialog = page.getByRole('dialog', { name: /^Acknowledge: / });
  await dialog.getByLabel('What you found or did').fill(note);
  await dialog.getByRole('button', { name: 'Acknowledge', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

describe('alerts reach the people on two workstations', () => {
  it('the nurses sign in online on both workstations', async () => {
    for (const ward of [wardA, wardB]) {
      await signIn(ward.page, 'nurse@hass.example', 'nurse123');
      await ward.page.getByTestId('sync-state').filter({ hasText: 'Online' }).waitFor();
      await ward.page.getByTestId('ward-grid').waitFor();
    }
  });

  it('both chart the same dose offline; the second is told who charted it first, and both boards show it', async () => {
    await goOffline(wardA);
    await goOffline(wardB);
    for (const ward of [wardA, wardB]) {
      const page = ward.page;
      await page.getByTestId('bed-A-02').getByRole('button').click();
      await page.getByTestId('chart-patient').waitFor();
      await page.getByRole('tab', { name: 'Medications' }).click();
      await page.getByRole('button', { name: 'Give Amoxicillin' }).click();
      await page.getByRole('dialog').getByLabel('Wristband', { exact: true }).fill('NGH-000002');
      await page.getByRole('dialog').getByRole('button', { name: 'Chart dose' }).click();
      // Saved here, not yet on the server: the MAR row says so.
      await page.getByTestId('mar-table').getByTestId('not-yet-sent').first().waitFor();
      await pendingIs(page, 1);
    }
    await screenshot(wardA.page, 'alerts-01-dose-not-yet-sent');

    await comeBack(wardA);
    await comeBack(wardB);
    const notice = wardB.page.getByTestId('push-notice');
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toMatch(
      /This dose \(Amoxicillin 500 mg oral, three times daily due \d\d:\d\d\) was also charted at \d\d:\d\d by Nina Patel on Ward A workstation\./,
    );
    await screenshot(wardB.page, 'alerts-02-second-nurse-told');
    await expect(wardA.page.getByTestId('push-notice').count()).resolves.toBe(0);
    // The mark leaves as the outbox drains, while the chart stays open.
    await wardA.page
      .getByTestId('mar-table')
      .getByTestId('not-yet-sent')
      .first()
      .waitFor({ state: 'detached' });

    for (const ward of [wardA, wardB]) {
      await openScreen(ward.page, /Ward board/);
      await bedAlert(ward.page, 'A-02').filter({ hasText: 'Possible double dose' }).waitFor();
    }
    await screenshot(wardA.page, 'alerts-03-board-ward-a');
  }, 90_000);

  it('the Alerts inbox says it in clinical words; acknowledged on one workstation, it clears on the other', async () => {
    await openScreen(wardB.page, /Alerts/);
    const card = wardB.page.getByTestId('alert-card').filter({ hasText: 'Possible double dose' });
    await card.waitFor();
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('KOWALSKI, Tomasz (NGH-000002)');
    expect(text).toContain('Medical Ward A, bed A-02');
    expect(text).toContain('Amoxicillin 500 mg oral');
    expect(text).toContain('on Ward A workstation');
    expect(text).toContain('on Ward B workstation');
    expect(text).toContain('What to do:');
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    await screenshot(wardB.page, 'alerts-inbox');

    await acknowledgeFirstAlert(
      wardB.page,
      'Patient checked, observations normal; Dr Okafor told.',
    );
    await wardB.page.getByText('No open alerts.').waitFor();
    await openScreen(wardB.page, /Ward board/);
    await wardB.page.getByTestId('ward-grid').waitFor();
    await bedAlert(wardB.page, 'A-02').waitFor({ state: 'detached' });
    await bedAlert(wardA.page, 'A-02').waitFor({ state: 'detached' });
    await screenshot(wardA.page, 'alerts-04-cleared-on-ward-a');
  }, 60_000);

  it('two offline admissions into one bed: the second is told, both boards show the clash, the conflict card reads in words', async () => {
    // Two patients registered at reception while all was well.
    const desk = await enrolledWorkstation('desk', server.url, await server.enrollmentCode());
    const early = registerPatient(desk.as('reception@hass.example'), {
      firstName: 'Chidi',
      lastName: 'Okonkwo',
      dateOfBirth: '1980-02-02',
      sex: 'male',
    });
    const late = registerPatient(desk.as('reception@hass.example'), {
      firstName: 'Emeka',
      lastName: 'Okonkwo',
      dateOfBirth: '1981-03-03',
      sex: 'male',
    });
    expect((await desk.sync()).ok).toBe(true);
    await desk.close();
    for (const ward of [wardA, wardB]) await ward.harness.engine.syncNow();

    await goOffline(wardA);
    await goOffline(wardB);
    for (const [ward, patient] of [
      [wardA, early],
      [wardB, late],
    ] as const) {
      const page = ward.page;
      await openScreen(page, /Reception/);
      await page.getByLabel('MRN, name or date of birth').fill(patient.mrn);
      await page
        .getByTestId('patient-results')
        .getByRole('row', { name: /OKONKWO/ })
        .getByRole('button', { name: 'Admit' })
        .click();
      const dialog = page.getByRole('dialog', { name: /^Admit / });
      await dialog.getByLabel('Ward').click();
      await page.getByRole('option', { name: /^Medical Ward A/ }).click();
      await dialog.getByText('A-05', { exact: true }).click();
      await dialog.getByRole('button', { name: 'Admit', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
    }

    await comeBack(wardA);
    await comeBack(wardB);
    const notice = wardB.page.getByTestId('push-notice').filter({ hasText: 'A-05' });
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toContain(
      `Bed A-05 (Medical Ward A) is already held by OKONKWO, Chidi (${early.mrn}). Your admission was kept without a bed: choose another bed.`,
    );
    for (const ward of [wardA, wardB]) {
      await openScreen(ward.page, /Ward board/);
      await bedAlert(ward.page, 'A-05').filter({ hasText: 'Bed clash' }).waitFor();
    }
    await screenshot(wardB.page, 'bed-clash-01-board');

    await wardB.page.getByTestId('sync-badge').click();
    const card = wardB.page.getByTestId('conflict').filter({ hasText: 'Bed already taken' });
    await card.waitFor();
    await expect(card.getByRole('heading').first().textContent()).resolves.toBe(
      `Stay of OKONKWO, Emeka (${late.mrn})`,
    );
    await expect(card.getByTestId('conflict-local').textContent()).resolves.toBe(
      'Bed A-05 (Medical Ward A)',
    );
    await expect(card.getByTestId('conflict-server').textContent()).resolves.toBe('none');
    await expect(card.textContent()).resolves.not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|[{}]/);
    await closeNotices(wardB.page);
    await screenshot(wardB.page, 'conflict-card');
    await card.getByRole('button', { name: /Understood/ }).press('Enter');
    await card.waitFor({ state: 'detached' });

    await acknowledgeFirstAlert(wardA.page, 'Mr Emeka Okonkwo moved to A-06.');
    await openScreen(wardB.page, /Ward board/);
    await wardB.page.getByTestId('ward-grid').waitFor();
    await bedAlert(wardB.page, 'A-05').waitFor({ state: 'detached' });
  }, 120_000);
});

/**
 * axe-core over every main screen, as each role sees it: no serious or critical violation.
 * Each screen's state is screenshotted too, so a failure can be looked at.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  screenshot,
  seriousViolations,
  signIn,
  type E2eBrowser,
} from './support/browser';
import { buildRenderer } from './support/renderer-build';
import { clockAtDrugRound, startWorkstation, type E2eWorkstation } from './support/workstation';

let browser: E2eBrowser;
let workstation: E2eWorkstation;
let page: Page;

beforeAll(async () => {
  const staticDir = await buildRenderer();
  // The board then shows an overdue dose (red badge) and the chart its scheduled doses.
  workstation = await startWorkstation(staticDir, { clock: clockAtDrugRound(40) });
  browser = await launchBrowser({ injectsScripts: true });
  page = await browser.newPage(workstation.harness.url);
});

afterAll(async () => {
  await browser.close();
  await workstation.close();
});

async function expectAccessible(name: string): Promise<void> {
  await screenshot(page, `a11y-${name}`);
  await expect(seriousViolations(page)).resolves.toEqual([]);
}

async function switchUser(email: string, password: string): Promise<void> {
  await page.keyboard.press('Alt+L');
  await page.getByRole('heading', { name: 'Workstation locked' }).waitFor();
  await signIn(page, email, password);
}

describe('accessibility of the main screens', () => {
  it('login screen, with a refusal shown', async () => {
    await page.getByLabel('Email').fill('nurse@hass.example');
    await page.getByLabel('Password', { exact: true }).fill('nope');
    await page.getByLabel('Password', { exact: true }).press('Enter');
    await page.getByRole('alert').waitFor();
    await expectAccessible('login');
  });

  it('ward board', async () => {
    await signIn(page, 'doctor@hass.example', 'doctor123');
    await page.getByTestId('ward-grid').waitFor();
    await expectAccessible('ward-board');
  });

  it('patient chart, every tab, and the record-vitals form', async () => {
    await page.getByTestId('bed-A-01').getByRole('button').click();
    await page.getByTestId('chart-allergies').waitFor();
    await page.getByTestId('vitals-table').waitFor();
    await expectAccessible('chart-vitals');
    for (const [tab, testId] of [
      ['Nurse logs and handoff', null],
      ['Medications', 'prescriptions-table'],
      ['Labs', 'labs-table'],
      ['EMR record', 'emr-record'],
      ['Stay', null],
    ] as const) {
      await page.getByRole('tab', { name: tab }).click();
      if (testId) await page.getByTestId(testId).waitFor();
      await expectAccessible(`chart-${tab.split(' ')[0]?.toLowerCase() ?? tab}`);
    }
    await page.getByRole('tab', { name: 'EMR record' }).click();
    await page.getByRole('button', { name: 'Add to the record' }).click();
    await page.getByRole('dialog', { name: 'Add to the EMR record' }).waitFor();
    await expectAccessible('add-emr-entry');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Add to the EMR record' }).waitFor({ state: 'hidden' });
    await page.getByRole('tab', { name: 'Vitals' }).click();
    await page.keyboard.press('Alt+V');
    await page.getByRole('dialog', { name: 'Record vitals' }).waitFor();
    await expectAccessible('record-vitals');
    await page.keyboard.press('Escape');
  });

  it('reception with the registration form', async () => {
    await switchUser('reception@hass.example', 'reception123');
    await page.getByTestId('appointments-table').waitFor();
    await page.getByLabel('MRN, name or date of birth').fill('hu');
    await page.getByTestId('patient-results').waitFor();
    await expectAccessible('reception');
    await page.keyboard.press('Alt+R');
    await page.getByRole('dialog', { name: 'Register a patient' }).waitFor();
    await expectAccessible('register-patient');
    await page.keyboard.press('Escape');
  });

  it('lab queue', async () => {
    await switchUser('labtech@hass.example', 'labtech123');
    await page.getByTestId('lab-queue').waitFor();
    await expectAccessible('lab-queue');
  });

  it('pharmacy (the pharmacist starts here) with the discontinue form', async () => {
    await switchUser('pharmacist@hass.example', 'pharmacist123');
    await page.getByTestId('active-prescriptions').locator('tbody tr').first().waitFor();
    await expectAccessible('pharmacy');
    await page
      .getByRole('button', { name: /^Discontinue / })
      .first()
      .click();
    await page.getByRole('dialog', { name: /^Discontinue / }).waitFor();
    await expectAccessible('discontinue-prescription');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: /^Discontinue / }).waitFor({ state: 'hidden' });
  });

  it('inventory, reached with the pointer (still over the current entry: its hover colours count too)', async () => {
    await page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('button', { name: /Inventory/ })
      .click();
    await page.getByTestId('inventory-table').waitFor();
    await expectAccessible('inventory');
  });

  it('sync screen', async () => {
    await page.getByTestId('sync-badge').click();
    await page.getByRole('heading', { name: 'Sync', exact: true }).waitFor();
    await page.getByText(/^Conflicts \(\d+\)$/).waitFor();
    await expectAccessible('sync');
  });

  it("admin: staff table, one person's drawer, the deactivate confirmation and the roles matrix", async () => {
    await switchUser('admin@hass.example', 'admin123');
    await page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('button', { name: /Admin/ })
      .press('Enter');
    await page.getByTestId('staff-table').waitFor();
    await expectAccessible('admin-staff');
    await page.getByRole('button', { name: 'Manage Nina Patel' }).click();
    const drawer = page.getByRole('dialog', { name: 'Manage Nina Patel' });
    await drawer.waitFor();
    await expectAccessible('admin-manage');
    await drawer.getByRole('button', { name: 'Deactivate…' }).click();
    await page.getByRole('dialog', { name: 'Deactivate Nina Patel?' }).waitFor();
    await expectAccessible('admin-confirm-deactivate');
    await page
      .getByRole('dialog', { name: 'Deactivate Nina Patel?' })
      .getByRole('button', { name: 'Cancel' })
      .click();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await page.getByRole('tab', { name: 'Roles' }).press('Enter');
    await page.getByTestId('roles-matrix').waitFor();
    await expectAccessible('admin-roles');
  });

  it("access report: who opened Margaret Hughes's chart, this workstation's trail marked partial", async () => {
    await page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('button', { name: /Access report/ })
      .click();
    await page.getByLabel('MRN, name or date of birth').fill('Hughes');
    await page.getByTestId('access-patient-results').getByText('Margaret').first().click();
    await page.getByTestId('access-entries').waitFor();
    // The doctor's chart read earlier in this scenario; no server here, so the report says so.
    await page.getByTestId('access-partial').waitFor();
    const entries = page.getByTestId('access-entries');
    await entries.getByText('chart.read').first().waitFor();
    await expect(entries.textContent()).resolves.toContain('Dr Dana Okafor');
    await expectAccessible('access-report');
  });

  it('lock screen', async () => {
    await page.keyboard.press('Alt+L');
    await page.getByRole('heading', { name: 'Workstation locked' }).waitFor();
    await expectAccessible('lock');
  });
});

/**
 * axe-core over every main screen, as each role sees it: no serious or critical violation.
 * Each screen's state is screenshotted too, so a failure can be looked at.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clinicalAlerts, outbox, syncConflicts } from '../../db/local/schema';
import { DEMO_HOSPITAL_ID, demoUserId } from '../../db/seed/demo-data';
import { stableId } from '../../shared/reference-data';
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
  addPulledAlerts();
});

const visit = (n: number) => stableId('visit', `NGH/${String(n)}`);
const patient = (n: number) => stableId('patient', `NGH/${String(n)}`);
const nurseId = demoUserId('nurse@hass.example');

/** Alerts as pull would bring them: one to act on now (red), one to sort out (orange). */
function addPulledAlerts(): void {
  const db = workstation.harness.workstation.db;
  const alert = (
    kind: 'possible_double_dose' | 'late_entry_after_discharge',
    n: number,
    details: object,
  ) =>
    db
      .insert(clinicalAlerts)
      .values({
        id: crypto.randomUUID(),
        hospitalId: DEMO_HOSPITAL_ID,
        version: 1,
        updatedBy: nurseId,
        kind,
        visitId: visit(n),
        patientId: patient(n),
        details: { deviceName: 'Ward B workstation', mutationId: crypto.randomUUID(), ...details },
      })
      .run();
  alert('possible_double_dose', 2, {
    prescriptionId: stableId('prescription', `${visit(2)}/amoxicillin`),
    scheduledFor: new Date().toISOString(),
    earlierDeviceName: 'Ward A workstation',
  });
  alert('late_entry_after_discharge', 1, {
    table: 'vitals',
    entryId: crypto.randomUUID(),
    enteredAt: new Date().toISOString(),
  });
}

/** What the Sync screen lists: a conflict of two fields, a refused change, a change waiting. */
function addSyncItems(): void {
  const db = workstation.harness.workstation.db;
  const now = new Date().toISOString();
  db.insert(syncConflicts)
    .values({
      id: crypto.randomUUID(),
      mutationId: crypto.randomUUID(),
      tableName: 'patients',
      rowId: patient(1),
      reasonCode: 'concurrent_edit',
      localValues: { phone: '+44 7700 900111', dateOfBirth: '1948-03-15' },
      serverValues: { phone: '+44 7700 900222', dateOfBirth: '1948-03-14' },
      serverVersion: 3,
      localUserId: demoUserId('reception@hass.example'),
      localTime: now,
      serverUpdatedBy: nurseId,
      serverUpdatedAt: now,
    })
    .run();
  const change = (status: 'pending' | 'rejected', tableName: string, data: object) =>
    db
      .insert(outbox)
      .values({
        mutationId: crypto.randomUUID(),
        userId: nurseId,
        tableName,
        op: 'insert',
        rowId: crypto.randomUUID(),
        baseVersion: null,
        data: { visitId: visit(3), patientId: patient(3), ...data },
        clientTime: now,
        status,
        ...(status === 'rejected'
          ? {
              reasonCode: 'forbidden',
              reasonMessage:
                'This change needs the permission vitals:create, which the user does not have.',
            }
          : {}),
      })
      .run();
  change('rejected', 'vitals', {
    heartRate: 128,
    temperatureC: 38.2,
    recordedAt: now,
    recordedBy: nurseId,
  });
  change('pending', 'nurse_logs', {
    kind: 'note',
    body: 'Comfortable overnight.',
    recordedAt: now,
    recordedBy: nurseId,
  });
}

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

  it('the Attachments tab, and the PDF viewer with a report open', async () => {
    await page.getByRole('dialog', { name: 'Record vitals' }).waitFor({ state: 'hidden' });
    const maker = await browser.context.newPage();
    await maker.setContent('<h1>Complete blood count</h1><p>Haemoglobin 131 g/L.</p>');
    const report = await maker.pdf({ format: 'A4' });
    await maker.close();
    await page.getByRole('tab', { name: 'Attachments' }).click();
    await page.getByRole('combobox', { name: 'Attach to' }).click();
    await page.getByRole('option', { name: /Lab: Complete blood count/ }).click();
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'cbc-report.pdf', mimeType: 'application/pdf', buffer: report });
    await page.getByRole('button', { name: 'Attach', exact: true }).click();
    const row = page.getByTestId('attachments-table').getByRole('row', { name: /cbc-report/ });
    await row.waitFor();
    await expectAccessible('chart-attachments');
    await row.getByRole('button', { name: 'Open' }).click();
    const viewer = page.getByRole('dialog', { name: 'cbc-report.pdf' });
    await viewer.getByText('Page 1 of 1').waitFor();
    await viewer
      .getByTestId('pdf-text')
      .getByText(/Haemoglobin/)
      .waitFor();
    await expectAccessible('pdf-viewer');
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'hidden' });
  });

  it('the Alerts inbox, with the acknowledge form', async () => {
    await page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('button', { name: /Alerts/ })
      .click();
    await page.getByTestId('alert-card').nth(1).waitFor();
    await expectAccessible('alerts-inbox');
    await page.getByRole('button', { name: /^Acknowledge Possible double dose/ }).click();
    await page.getByRole('dialog', { name: 'Acknowledge: Possible double dose' }).waitFor();
    await expectAccessible('acknowledge-alert');
    await page.keyboard.press('Escape');
    await page
      .getByRole('dialog', { name: 'Acknowledge: Possible double dose' })
      .waitFor({ state: 'hidden' });
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

  it('sync screen: the reconciliation cards and what waits to be sent', async () => {
    addSyncItems();
    await page.getByTestId('sync-badge').click();
    await page.getByRole('heading', { name: 'Sync', exact: true }).waitFor();
    await page.getByText(/^Conflicts \(\d+\)$/).waitFor();
    await page.getByTestId('conflict').waitFor();
    await page.getByTestId('refused').waitFor();
    await page.getByTestId('outbox-list').getByText('Nurse log written').waitFor();
    await expectAccessible('sync');
    // The per-field choice is made with the keyboard alone.
    await page.getByRole('radio', { name: 'Server' }).first().focus();
    await page.keyboard.press('Space');
    await expect(page.getByRole('radio', { name: 'Server' }).first().isChecked()).resolves.toBe(
      true,
    );
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

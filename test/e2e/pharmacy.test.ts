/**
 * The pharmacist's round and the doctor's EMR record in a real browser against the real
 * main-process code: a doctor reads and adds to the visit's record and prescribes a drug the
 * patient is allergic to; the pharmacist lands on Pharmacy, sees the clash marked, filters and
 * discontinues it.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HOSPITAL_ID } from '../../db/seed/demo-data';
import { stableId } from '../../shared/reference-data';
import { screenshot, signIn } from './support/browser';
import { openScenario, screenshotFailure, type E2eScenario } from './support/scenario';

let scenario: E2eScenario;
let page: Page;

beforeAll(async () => {
  scenario = await openScenario();
  ({ page } = scenario);
});

afterEach(screenshotFailure(() => page));

afterAll(() => scenario.close());

// Mantine's Select labels its listbox with the same label: the picker is the input.
const wardPicker = () => page.getByLabel('Ward').and(page.locator('input'));
const prescriptionRows = () => page.getByTestId('active-prescriptions').locator('tbody tr');

describe("the pharmacist's round and the chart's EMR record", () => {
  it('an entry of a shape the screen was not written for still reads as text, lists and headings', async () => {
    // As if synced from another system: nested objects, a list of mixed items, a flag, nothing.
    const visitId = stableId('visit', 'NGH/1');
    scenario.workstation.harness.workstation.db.$client
      .prepare(
        "insert into emr_local (id, hospital_id, visit_id, patient_id, kind, body) values (?, ?, ?, ?, 'imaging', ?)",
      )
      .run(
        stableId('emr_local', `${visitId}/imaging`),
        DEMO_HOSPITAL_ID,
        visitId,
        stableId('patient', 'NGH/1'),
        JSON.stringify({
          study: 'Chest X-ray, PA',
          findings: ['Consolidation at the right base', { side: 'right', zone: 'lower' }],
          contrastGiven: false,
          reportedAt: '2026-11-22T09:30:00.000Z',
          measurements: { heart: { ratio: { value: 0.48, unit: 'CTR' } } },
          comparison: null,
        }),
      );
    await signIn(page, 'doctor@hass.example', 'doctor123');
    await page.getByTestId('bed-A-01').getByRole('button').click();
    await page.getByRole('tab', { name: 'EMR record' }).click();
    const record = page.getByTestId('emr-record');
    await record.getByRole('heading', { name: 'Imaging' }).waitFor();
    await record.getByRole('heading', { name: 'Contrast given' }).waitFor();
    await expect(record.getByRole('listitem').allTextContents()).resolves.toEqual([
      'Consolidation at the right base',
      expect.stringMatching(/Side.*right.*Zone.*lower/),
    ]);
    const text = await record.textContent();
    expect(text).toContain('No');
    // Nested deeper than the headings go: one line per value.
    expect(text).toContain('Value: 0.48');
    expect(text).toContain('Unit: CTR');
    expect(text).not.toMatch(/[{}"]|2026-11-22T/);
    await screenshot(page, 'pharmacy-00-emr-unknown-shape');
  });

  it("the doctor reads the demo's visit record as headings and text", async () => {
    const record = page.getByTestId('emr-record');
    await record.getByRole('heading', { name: 'Visit record' }).waitFor();
    await record.getByRole('heading', { name: 'Presenting complaint' }).waitFor();
    await expect(record.textContent()).resolves.toContain('Community-acquired pneumonia');
    // A clinician never sees the body as JSON.
    await expect(record.textContent()).resolves.not.toContain('{');
    await expect(record.textContent()).resolves.not.toContain('presentingComplaint');
    await screenshot(page, 'pharmacy-01-emr-record');
  });

  it('the doctor adds an assessment with two sections, which the record shows at once', async () => {
    await page.getByRole('button', { name: 'Add to the record' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add to the EMR record' });
    await dialog.getByLabel('Heading of section 1').fill('Impression');
    await dialog.getByLabel('Text of section 1').fill('Right lower lobe pneumonia, improving.');
    await dialog.getByRole('button', { name: 'Add a section' }).click();
    await dialog.getByLabel('Heading of section 2').fill('Plan');
    await dialog.getByLabel('Text of section 2').fill('Repeat chest X-ray in 48 hours.');
    await dialog.getByRole('button', { name: 'Save to the record' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const record = page.getByTestId('emr-record');
    await record.getByRole('heading', { name: 'Assessment' }).waitFor();
    await record.getByRole('heading', { name: 'Plan' }).waitFor();
    await expect(record.textContent()).resolves.toContain('Repeat chest X-ray in 48 hours.');
    await expect(record.textContent()).resolves.toContain('Dr Dana Okafor');
    await screenshot(page, 'pharmacy-02-emr-entry-added');
  });

  it('the doctor prescribes penicillin for the patient allergic to it', async () => {
    await page.getByRole('tab', { name: 'Medications' }).click();
    await page.getByRole('button', { name: 'Prescribe', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Prescribe' });
    await dialog.getByLabel('Drug').fill('Penicillin V');
    await dialog.getByLabel('Dose').fill('500 mg');
    await dialog.getByLabel('Frequency').fill('Four times daily');
    await dialog.getByLabel('Frequency').press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('prescriptions-table').getByText('Penicillin V').waitFor();
  });

  it('the doctor sees it on the Pharmacy list too, and goes from there to the chart', async () => {
    await page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('button', { name: /Pharmacy/ })
      .press('Enter');
    await page.getByTestId('active-prescriptions').getByText('Penicillin V').waitFor();
    await page.getByRole('button', { name: 'Chart of HUGHES, Margaret' }).click();
    await page.getByTestId('chart-patient').waitFor();
    await expect(page.getByTestId('chart-patient').textContent()).resolves.toBe('HUGHES, Margaret');
  });

  it('the pharmacist lands on Pharmacy and sees every active prescription by ward and bed, the clash marked', async () => {
    await page.keyboard.press('Alt+L');
    await page.getByRole('heading', { name: 'Workstation locked' }).waitFor();
    await signIn(page, 'pharmacist@hass.example', 'pharmacist123');
    await page.getByRole('heading', { name: 'Active prescriptions' }).waitFor();
    await expect(
      page
        .getByRole('navigation', { name: 'Screens' })
        .getByRole('button', { name: /Pharmacy/ })
        .getAttribute('aria-current'),
    ).resolves.toBe('page');
    await expect(prescriptionRows().count()).resolves.toBe(2);
    const [first, second] = await prescriptionRows().allTextContents();
    expect(first).toContain('HUGHES, Margaret');
    expect(first).toContain('Allergy: Penicillin');
    expect(first).toContain('bed A-01');
    expect(first).toContain('Dr Dana Okafor');
    expect(second).toContain('Amoxicillin');
    expect(second).toContain('KOWALSKI, Tomasz');
    expect(second).toContain('none yet');
    await expect(
      prescriptionRows().first().getByTestId('allergy-clash').textContent(),
    ).resolves.toContain('Penicillin');
    await page.getByTestId('allergy-clash-summary').waitFor();
    // A pharmacist does not read charts: no way into one from here.
    await expect(page.getByRole('button', { name: /^Chart of/ }).count()).resolves.toBe(0);
    await screenshot(page, 'pharmacy-03-active-prescriptions');
  });

  it('filters by drug or patient text and by ward', async () => {
    await page.getByLabel('Drug, patient or MRN').fill('amox');
    await page
      .getByTestId('active-prescriptions')
      .getByText('HUGHES, Margaret')
      .waitFor({ state: 'detached' });
    await expect(prescriptionRows().allTextContents()).resolves.toEqual([
      expect.stringContaining('Amoxicillin'),
    ]);
    await screenshot(page, 'pharmacy-04-filtered-by-drug');
    await page.getByLabel('Drug, patient or MRN').fill('');
    await wardPicker().click();
    await page.getByRole('option', { name: 'Surgical Ward B' }).click();
    await page.getByText('No active prescription matches these filters.').waitFor();
    await wardPicker().click();
    await page.getByRole('option', { name: 'Medical Ward A' }).click();
    await page.getByTestId('active-prescriptions').getByText('HUGHES, Margaret').waitFor();
    await expect(prescriptionRows().count()).resolves.toBe(2);
  });

  it('the pharmacist discontinues the clashing prescription with a reason and it leaves the list', async () => {
    await page
      .getByRole('button', { name: 'Discontinue Penicillin V for HUGHES, Margaret' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Discontinue Penicillin V' });
    await dialog.getByRole('button', { name: 'Discontinue', exact: true }).click();
    await dialog.getByText('Required').waitFor();
    await dialog
      .getByLabel('Reason for stopping')
      .fill('Penicillin allergy on record; prescriber informed.');
    await screenshot(page, 'pharmacy-05-discontinue');
    await dialog.getByRole('button', { name: 'Discontinue', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByTestId('active-prescriptions')
      .getByText('HUGHES, Margaret')
      .waitFor({ state: 'detached' });
    await expect(prescriptionRows().allTextContents()).resolves.toEqual([
      expect.stringContaining('Amoxicillin'),
    ]);
    await expect(page.getByTestId('allergy-clash-summary').count()).resolves.toBe(0);
    await screenshot(page, 'pharmacy-06-discontinued');
  });
});

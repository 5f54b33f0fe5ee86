/**
 * Discharge with its summary (issue 17), at the keyboard: the doctor opens the discharge, gets a
 * draft written from the stay's records (and told no language model wrote it), adds the
 * follow-up, approves and discharges; the stay shows the approved summary, which prints after
 * the password again.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { confirmPassword, screenshot, signIn } from './support/browser';
import { openScenario, screenshotFailure, type E2eScenario } from './support/scenario';

let scenario: E2eScenario;
let page: Page;

beforeAll(async () => {
  scenario = await openScenario();
  ({ page } = scenario);
});

afterEach(screenshotFailure(() => page));

afterAll(() => scenario.close());

describe('a doctor discharges with an approved summary', () => {
  it('edits the drafted summary, approves it with the discharge, and prints it', async () => {
    await signIn(page, 'doctor@hass.example', 'doctor123');
    await page.getByTestId('bed-A-01').getByRole('button').click();
    await page.getByTestId('chart-patient').waitFor();
    await page.getByRole('tab', { name: 'Stay' }).click();
    await page.getByRole('button', { name: 'Discharge…' }).click();

    const dialog = page.getByRole('dialog', { name: 'Discharge' });
    const summary = dialog.getByLabel('Discharge summary');
    await expect.poll(() => summary.inputValue()).toContain('Reason for admission');
    await expect(dialog.textContent()).resolves.toContain('no language model');
    await summary.fill(`${await summary.inputValue()}\n\nFollow-up: GP review in one week.`);
    await screenshot(page, 'discharge-01-draft');
    await dialog.getByRole('button', { name: 'Approve and discharge' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const approved = page.getByText('Follow-up: GP review in one week.');
    await approved.waitFor();
    await page.getByRole('button', { name: 'Print discharge summary' }).click();
    await confirmPassword(page, 'doctor123');
    const preview = page.getByTestId('print-preview');
    await preview.waitFor();
    // The document sits in the preview's shadow root, which Playwright's text locators enter.
    await preview.getByText('Follow-up: GP review in one week.').waitFor();
    await expect(preview.getByText('Approved by').count()).resolves.toBeGreaterThan(0);
    // EMR sections read as words, not as their keys.
    await preview
      .getByText(/Presenting complaint: /)
      .first()
      .waitFor();
    await screenshot(page, 'discharge-02-printed-summary');
  });
});

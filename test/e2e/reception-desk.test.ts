/**
 * The reception desk in a real browser: find a patient, register a new one (and be warned when
 * the same person seems to be registered already), book an appointment and check them in.
 */
import dayjs from 'dayjs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, signIn } from './support/browser';
import { openScenario, screenshotFailure, type E2eScenario } from './support/scenario';

let scenario: E2eScenario;
let page: Page;

beforeAll(async () => {
  scenario = await openScenario();
  ({ page } = scenario);
  await signIn(page, 'reception@hass.example', 'reception123');
});

afterEach(screenshotFailure(() => page));

afterAll(() => scenario.close());

async function fillRegistration(first: string, last: string, dateOfBirth: string) {
  await page.keyboard.press('Alt+R');
  const dialog = page.getByRole('dialog', { name: 'Register a patient' });
  await dialog.getByLabel('First name').fill(first);
  await dialog.getByLabel('Last name').fill(last);
  await dialog.getByLabel('Date of birth').fill(dateOfBirth);
  await dialog.getByLabel('Date of birth').press('Enter');
  await dialog.getByLabel('Sex').click();
  await page.getByRole('option', { name: 'female' }).click();
  return dialog;
}

describe('the reception desk', () => {
  it('opens on the reception desk for a receptionist', async () => {
    await page.getByRole('heading', { name: 'Reception' }).waitFor();
    await expect(
      page
        .getByRole('navigation', { name: 'Screens' })
        .getByRole('button', { name: /Reception/ })
        .getAttribute('aria-current'),
    ).resolves.toBe('page');
    await screenshot(page, 'reception-01-desk');
  });

  it('shows a message next to each field the form needs', async () => {
    await page.keyboard.press('Alt+R');
    const dialog = page.getByRole('dialog', { name: 'Register a patient' });
    await dialog.getByRole('button', { name: 'Register', exact: true }).click();
    await expect(dialog.getByText('Required').count()).resolves.toBeGreaterThanOrEqual(3);
    await screenshot(page, 'reception-02-field-errors');
    await page.keyboard.press('Escape');
  });

  it('registers a patient and books an appointment for them', async () => {
    const dialog = await fillRegistration('Ingrid', 'Solberg', '1990-04-12');
    await dialog.getByRole('button', { name: 'Register', exact: true }).click();
    const booking = page.getByRole('dialog', { name: /Book an appointment: SOLBERG, Ingrid/ });
    await booking.waitFor();
    await booking.getByLabel('Doctor').click();
    await page.getByRole('option', { name: 'Dr Dana Okafor' }).click();
    const tomorrow = dayjs().add(1, 'day').format('YYYY-MM-DD');
    await booking.getByLabel('Day').fill(tomorrow);
    await booking.getByLabel('Day').press('Enter');
    await booking.getByLabel('Time').fill('10:30');
    await booking.getByLabel('Reason').fill('Follow-up');
    await booking.getByLabel('Reason').press('Enter');
    await booking.waitFor({ state: 'hidden' });
    const row = page
      .getByTestId('appointments-table')
      .getByRole('row', { name: /SOLBERG, Ingrid/ });
    await expect(row.textContent()).resolves.toContain('10:30');
    await screenshot(page, 'reception-03-booked');
    await row.getByRole('button', { name: 'Check in' }).click();
    await row.getByText('checked in').waitFor();
  });

  it('warns before registering the same person twice', async () => {
    const dialog = await fillRegistration('Ingrid', 'Solberg', '1990-04-12');
    await dialog.getByRole('button', { name: 'Register', exact: true }).click();
    await dialog.getByText('Possibly already registered').waitFor();
    await expect(dialog.getByRole('alert').textContent()).resolves.toMatch(
      /SOLBERG, Ingrid, born 12 Apr 1990 \(NGH-H\d+\)/,
    );
    await screenshot(page, 'reception-04-possible-duplicate');
    await page.keyboard.press('Escape');
  });

  it('finds the new patient by name', async () => {
    await page.getByLabel('MRN, name or date of birth').fill('solb');
    await expect(page.getByTestId('patient-results').textContent()).resolves.toContain(
      'SOLBERG, Ingrid',
    );
  });

  it('keeps working when the server cannot be reached: offline sign-in explained, registration still works', async () => {
    scenario.workstation.serverAuth.online = false;
    await page.keyboard.press('Alt+L');
    await page.getByRole('heading', { name: 'Workstation locked' }).waitFor();
    // Someone who never signed in on this workstation cannot sign in while it is offline.
    await page.getByLabel('Email').fill('doctor@hass.example');
    await page.getByLabel('Password', { exact: true }).fill('doctor123');
    await page.getByLabel('Password', { exact: true }).press('Enter');
    await page
      .getByRole('alert')
      .filter({ hasText: 'has not signed in on this workstation before' })
      .waitFor();
    await screenshot(page, 'reception-05-offline-refused');
    // Resuming a locked session keeps how it began; a fresh sign-in shows how this one did.
    await page.getByRole('button', { name: /End Rosa Jimenez's session/ }).click();
    await page.getByRole('heading', { name: 'Wardline' }).waitFor();
    await signIn(page, 'reception@hass.example', 'reception123');
    await page.getByText('Signed in offline').waitFor();
    const dialog = await fillRegistration('Noor', 'Haddad', '1985-09-30');
    await dialog.getByRole('button', { name: 'Register', exact: true }).click();
    await page.getByRole('dialog', { name: /Book an appointment: HADDAD, Noor/ }).waitFor();
    await screenshot(page, 'reception-06-offline-registered');
    await page.keyboard.press('Escape');
  });
});

/**
 * The administrator's screen in a real browser: a night's lab cover granted to the nurse and
 * revoked, reception deactivated and reactivated, and a manager who may only read.
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

async function openAdmin() {
  await page
    .getByRole('navigation', { name: 'Screens' })
    .getByRole('button', { name: /Admin/ })
    .press('Enter');
  await page.getByTestId('staff-table').waitFor();
}

function staffRow(name: string) {
  return page.getByTestId('staff-table').getByRole('row', { name: new RegExp(name) });
}

async function manage(name: string) {
  await page.getByLabel('Search staff').fill(name.split(' ')[0] ?? name);
  await page.getByRole('button', { name: `Manage ${name}` }).click();
  const drawer = page.getByRole('dialog', { name: `Manage ${name}` });
  await drawer.waitFor();
  return drawer;
}

const tomorrow = () => {
  const day = new Date(Date.now() + 86_400_000);
  return `${String(day.getFullYear())}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
};

describe('the administrator manages staff', () => {
  it('finds the nurse, grants lab_tests:accept until tomorrow, sees it listed, revokes it', async () => {
    await signIn(page, 'admin@hass.example', 'admin123');
    await openAdmin();
    await expect(
      page.getByText('New accounts are created by IT on the server').count(),
    ).resolves.toBe(1);
    await screenshot(page, 'admin-01-staff');
    const drawer = await manage('Nina Patel');
    await drawer.getByLabel('Permission').fill('lab_tests:accept');
    await page.getByRole('option', { name: /^lab_tests:accept/ }).click();
    await drawer.getByLabel('Last day').fill(tomorrow());
    await drawer.getByLabel('Last day').press('Enter');
    await drawer.getByLabel('Reason').fill('Covering the lab tonight');
    await drawer.getByRole('button', { name: 'Grant', exact: true }).click();
    await confirmPassword(page, 'admin123');
    const grants = drawer.getByTestId('grant-list');
    await grants.getByText('lab_tests:accept').waitFor();
    await expect(grants.textContent()).resolves.toMatch(/until .*Covering the lab tonight/);
    await expect(staffRow('Nina Patel').textContent()).resolves.toContain('lab_tests:accept');
    await screenshot(page, 'admin-02-grant-listed');

    await drawer.getByRole('button', { name: 'Revoke lab_tests:accept' }).click();
    await confirmPassword(page, 'admin123');
    await grants.getByText('lab_tests:accept').waitFor({ state: 'detached' });
    await expect(staffRow('Nina Patel').textContent()).resolves.not.toContain('lab_tests:accept');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });

  it('deactivates reception after confirming, then reactivates', async () => {
    const drawer = await manage('Rosa Jimenez');
    await drawer.getByRole('button', { name: 'Deactivate…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Deactivate Rosa Jimenez?' });
    await confirm.waitFor();
    await screenshot(page, 'admin-03-confirm-deactivate');
    await confirm.getByRole('button', { name: 'Deactivate', exact: true }).click();
    await confirm.waitFor({ state: 'hidden' });
    await drawer.getByRole('button', { name: 'Reactivate' }).waitFor();
    await expect(staffRow('Rosa Jimenez').textContent()).resolves.toContain('Inactive');
    await drawer.getByRole('button', { name: 'Reactivate' }).click();
    await drawer.getByRole('button', { name: 'Deactivate…' }).waitFor();
    await expect(staffRow('Rosa Jimenez').textContent()).resolves.toContain('Active');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });

  it('works the staff table from the keyboard: arrows move between people, Enter opens one', async () => {
    await page.getByLabel('Search staff').fill('');
    const openable = page.getByTestId('staff-table').locator('tr[data-openable]');
    await staffRow('Rosa Jimenez').waitFor();
    const names = await openable.locator('td:first-child').allTextContents();
    // The administrator's own row opens nothing: nobody manages their own account here.
    expect(names).not.toContain('Alex Morgan');
    expect(names.length).toBeGreaterThan(2);
    await openable.first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog', { name: `Manage ${names[1] ?? ''}` });
    await drawer.waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await openable.first().focus();
    await page.keyboard.press('End');
    await page.keyboard.press(' ');
    const last = page.getByRole('dialog', { name: `Manage ${names.at(-1) ?? ''}` });
    await last.waitFor();
    await page.keyboard.press('Escape');
    await last.waitFor({ state: 'hidden' });
  });

  it('a manager sees the staff table without edit controls, and the roles matrix', async () => {
    await page.keyboard.press('Alt+L');
    await page.getByRole('heading', { name: 'Workstation locked' }).waitFor();
    await signIn(page, 'manager@hass.example', 'manager123');
    await openAdmin();
    await staffRow('Nina Patel').waitFor();
    await expect(page.getByRole('button', { name: /^Manage / }).count()).resolves.toBe(0);
    await expect(page.getByRole('columnheader', { name: 'Actions' }).count()).resolves.toBe(0);
    await screenshot(page, 'admin-04-manager-read-only');
    await page.getByRole('tab', { name: 'Roles' }).click();
    const matrix = page.getByTestId('roles-matrix');
    await matrix.waitFor();
    await expect(
      matrix.getByRole('row', { name: /mar:administer/ }).textContent(),
    ).resolves.toMatch(/Chart a dose/);
    await screenshot(page, 'admin-05-roles');
  });
});

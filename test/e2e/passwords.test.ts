/**
 * Passwords in a real browser against the real server (issue 16): the administrator resets the
 * nurse's password and reads the temporary one off the screen; the nurse signs in with it, is
 * asked for her own first, later changes it again from the user menu; offline afterwards only
 * the newest password lets her in, and the change form says it needs the network.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaultProxy } from '../support/fault-proxy';
import { confirmPassword, screenshot, seriousViolations, signIn } from './support/browser';
import { openSyncedScenario } from './support/synced-scenario';

let proxy: FaultProxy;
let close: () => Promise<void>;
let page: Page;

beforeAll(async () => {
  ({ proxy, page, close } = await openSyncedScenario({
    name: 'passwords',
    proxySeed: 16,
    injectsScripts: true,
  }));
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail')
    await screenshot(page, `failed-${context.task.name.replace(/\W+/g, '-')}`);
});

afterAll(() => close());

/** As a shared workstation changes hands: lock, then end the locked session. */
async function signOut(): Promise<void> {
  await page.keyboard.press('Alt+L');
  await page.getByRole('heading', { name: 'Workstation locked' }).waitFor();
  await page.getByRole('button', { name: /End .*'s session/ }).click();
  await page.getByRole('heading', { name: 'Wardline' }).waitFor();
}

async function refusedSignIn(email: string, password: string): Promise<string> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Password', { exact: true }).press('Enter');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  return (await alert.textContent()) ?? '';
}

async function fillNewPassword(scope: Page | ReturnType<Page['getByRole']>, password: string) {
  await scope.getByLabel('New password', { exact: true }).fill(password);
  await scope.getByLabel('New password again').fill(password);
}

describe('a reset and a change of the nurse’s password', () => {
  let temporary = '';

  it('the administrator resets it and sees the temporary password once', async () => {
    await signIn(page, 'admin@hass.example', 'admin123');
    await page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('button', { name: /Admin/ })
      .press('Enter');
    await page.getByLabel('Search staff').fill('Nina');
    await page.getByRole('button', { name: 'Manage Nina Patel' }).click();
    const drawer = page.getByRole('dialog', { name: 'Manage Nina Patel' });
    await drawer.getByRole('button', { name: 'Reset password…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Reset the password of Nina Patel?' });
    await confirm.getByRole('button', { name: 'Reset password', exact: true }).click();
    await confirmPassword(page, 'admin123');
    temporary = (await page.getByTestId('temporary-password').textContent()) ?? '';
    expect(temporary).toMatch(/^[A-Za-z2-9]{14}$/);
    await confirm.getByText('It stops working after 3 days unused.').waitFor();
    await screenshot(page, 'passwords-01-temporary');
    await expect(seriousViolations(page)).resolves.toEqual([]);
    await confirm.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByTestId('temporary-password').count()).resolves.toBe(0);
    await page.keyboard.press('Escape');
    await signOut();
  });

  it('the nurse’s old password is refused and the temporary one asks for her own first', async () => {
    expect(await refusedSignIn('nurse@hass.example', 'nurse123')).toMatch(/not right/);
    await page.getByLabel('Password', { exact: true }).fill(temporary);
    await page.getByLabel('Password', { exact: true }).press('Enter');
    await page.getByText('Choose a new password').first().waitFor();
    await expect(seriousViolations(page)).resolves.toEqual([]);
    await fillNewPassword(page, 'short');
    await page.getByRole('button', { name: 'Save and sign in' }).click();
    await page
      .getByText(/at least 8 characters/)
      .first()
      .waitFor();
    await fillNewPassword(page, 'nina-chose-this');
    await page.getByRole('button', { name: 'Save and sign in' }).click();
    await expect(page.getByTestId('signed-in-user').textContent()).resolves.toBe('Nina Patel');
  });

  it('she changes it again from the user menu', async () => {
    await page.getByTestId('signed-in-user').click();
    await page.getByRole('menuitem', { name: 'Change password…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change your password' });
    await dialog.getByLabel('Current password').fill('nina-chose-this');
    await fillNewPassword(dialog, 'nina-second-one');
    await screenshot(page, 'passwords-02-change');
    await expect(seriousViolations(page)).resolves.toEqual([]);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Wardline' }).waitFor();
  });

  it('offline afterwards only the newest password opens the workstation, and a change needs the network', async () => {
    proxy.setDown(true);
    expect(await refusedSignIn('nurse@hass.example', 'nina-chose-this')).toMatch(/not right/);
    expect(await refusedSignIn('nurse@hass.example', temporary)).toMatch(/not right/);
    await page.getByLabel('Password', { exact: true }).fill('nina-second-one');
    await page.getByLabel('Password', { exact: true }).press('Enter');
    await page.getByText('Signed in offline').waitFor();

    await page.getByTestId('signed-in-user').click();
    await page.getByRole('menuitem', { name: 'Change password…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change your password' });
    await dialog.getByLabel('Current password').fill('nina-second-one');
    await fillNewPassword(dialog, 'nina-third-one');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByText('Needs the network', { exact: true }).waitFor();
    await screenshot(page, 'passwords-03-offline');
    proxy.setDown(false);
  });
});

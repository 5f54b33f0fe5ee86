/**
 * A ward's shift in a real browser against the real main-process code: sign-in, the ward board,
 * the shared workstation changing hands, and what each role may see.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, signIn } from './support/browser';
import { openScenario, screenshotFailure, type E2eScenario } from './support/scenario';
import { clockAtDrugRound } from './support/workstation';

let scenario: E2eScenario;
let page: Page;

beforeAll(async () => {
  // Forty minutes past the drug round nearest to now: the demo amoxicillin (TDS) has a dose overdue.
  scenario = await openScenario({ clock: clockAtDrugRound(40) });
  ({ page } = scenario);
});

afterEach(screenshotFailure(() => page));

afterAll(() => scenario.close());

describe('a ward shift at one workstation', () => {
  it('refuses a wrong password with a sentence next to the form', async () => {
    await page.getByLabel('Email').fill('nurse@hass.example');
    await page.getByLabel('Password', { exact: true }).fill('wrong');
    await page.getByLabel('Password', { exact: true }).press('Enter');
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'The email or password is not right.',
    );
    await screenshot(page, 'shift-01-wrong-password');
  });

  it('a nurse signs in and sees the ward board with patients and their latest vitals', async () => {
    await signIn(page, 'nurse@hass.example', 'nurse123');
    await page.getByTestId('ward-grid').waitFor();
    const firstBed = page.getByTestId('bed-A-01');
    await expect(firstBed.textContent()).resolves.toContain('HUGHES, Margaret');
    await expect(firstBed.textContent()).resolves.toContain('Allergy: Penicillin');
    await screenshot(page, 'shift-02-ward-board');
  });

  it('opens a chart in one round trip and records vitals with one abnormal value, which is flagged', async () => {
    const chartCalls: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      // A batched request names every procedure in it: /trpc/chart.open,sync.status
      if (path.startsWith('/trpc/')) chartCalls.push(...path.slice('/trpc/'.length).split(','));
    });
    await page.getByTestId('bed-A-02').getByRole('button').click();
    await page.getByTestId('chart-patient').waitFor();
    // First paint of the chart: one call, chart.open, and nothing else queued behind it (the
    // session and sync-status polls run on their own timers whatever the screen).
    expect(
      chartCalls.filter((name) => !name.startsWith('auth.') && !name.startsWith('sync.')),
    ).toEqual(['chart.open']);
    const pendingBefore = Number(await page.getByTestId('sync-pending').getAttribute('data-count'));
    await page.keyboard.press('Alt+V');
    await page.getByLabel('Temperature (°C)').fill('37.1');
    await page.getByLabel('Heart rate (/min)').fill('134');
    await page.getByLabel('Systolic BP (mmHg)').fill('122');
    await page.getByLabel('Diastolic BP (mmHg)').fill('78');
    await page.getByLabel('SpO₂ (%)').fill('97');
    await expect(page.getByText('High ↑').count()).resolves.toBe(1);
    await page.getByLabel('SpO₂ (%)').press('Enter');
    const newest = page.getByTestId('vitals-table').locator('tbody tr').first();
    await newest.locator('[data-abnormal="high"]').waitFor();
    await expect(newest.locator('[data-abnormal]').allTextContents()).resolves.toEqual([
      expect.stringContaining('134'),
    ]);
    await screenshot(page, 'shift-03-vitals-flagged');
    // The write waits in the outbox: the badge's pending count grows by one (polled each second).
    await page
      .getByTestId('sync-pending')
      .and(page.locator(`[data-count="${String(pendingBefore + 1)}"]`))
      .waitFor();
    await page.getByRole('button', { name: /Back to the ward board/ }).click();
    await expect(
      page.getByTestId('bed-A-02').locator('[data-abnormal="high"]').textContent(),
    ).resolves.toContain('134');
  });

  it('the board shows the overdue dose and the urgent lab; charting the dose from the chart clears it from the board', async () => {
    const dueAtA02 = page.getByTestId('bed-A-02').getByTestId('meds-due');
    await expect(dueAtA02.textContent()).resolves.toBe('⚠ 1 med due, 1 overdue');
    await expect(page.getByTestId('bed-A-02').textContent()).resolves.toContain(
      'Next: Amoxicillin 500 mg',
    );
    await expect(
      page.getByTestId('bed-A-01').getByTestId('labs-pending').textContent(),
    ).resolves.toBe('1 lab pending, 1 urgent');
    await expect(page.getByTestId('meds-due').count()).resolves.toBe(1);
    await screenshot(page, 'shift-04-meds-due-on-board');

    await page.getByTestId('bed-A-02').getByRole('button').click();
    await page.getByRole('tab', { name: 'Medications' }).click();
    await expect(page.getByTestId('dose-owed').textContent()).resolves.toMatch(/^Overdue \d\d:00$/);
    await expect(page.getByTestId('prescriptions-table').textContent()).resolves.toContain(
      '08:00, 14:00, 22:00',
    );
    await page.getByRole('button', { name: 'Give Amoxicillin' }).click();
    const dialog = page.getByRole('dialog');
    // The scheduled dose owed now is offered first, before older missed ones and later ones.
    await expect(dialog.getByLabel('Scheduled dose').inputValue()).resolves.toMatch(
      /\d\d:00 · overdue$/,
    );
    await screenshot(page, 'shift-05-give-scheduled-dose');
    await dialog.getByLabel('Wristband', { exact: true }).fill('NGH-000002');
    await dialog.getByRole('button', { name: 'Chart dose' }).click();
    await page.getByTestId('mar-table').getByText('given').first().waitFor();
    await expect(page.getByTestId('dose-owed').count()).resolves.toBe(0);

    await page.getByRole('button', { name: /Back to the ward board/ }).click();
    await page.getByTestId('ward-grid').waitFor();
    await dueAtA02.waitFor({ state: 'detached' });
    await expect(page.getByTestId('meds-due').count()).resolves.toBe(0);
    await screenshot(page, 'shift-06-dose-charted-board-clear');
  });

  it('locks with Alt+L and shows no patient data on the lock screen', async () => {
    await page.keyboard.press('Alt+L');
    await page.getByRole('heading', { name: 'Workstation locked' }).waitFor();
    await expect(page.getByText('HUGHES').count()).resolves.toBe(0);
    await screenshot(page, 'shift-07-locked');
  });

  it('a lab technician taking over the workstation sees neither the ward board nor the MAR', async () => {
    await signIn(page, 'labtech@hass.example', 'labtech123');
    await expect(page.getByTestId('signed-in-user').textContent()).resolves.toBe('Leo Fernandes');
    const nav = page.getByRole('navigation', { name: 'Screens' });
    await expect(nav.getByRole('button', { name: /Ward board/ }).count()).resolves.toBe(0);
    await expect(page.getByText('Medication administration record').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /^(Chart|Give)/ }).count()).resolves.toBe(0);
    // Nothing of the nurse's session survives: not her board, not her notifications.
    await expect(page.getByTestId('ward-grid').count()).resolves.toBe(0);
    await expect(page.getByText('Vitals saved').count()).resolves.toBe(0);
    await screenshot(page, 'shift-08-lab-tech');
  });

  it('the lab technician accepts, starts and completes the pending test with a result', async () => {
    const row = page.getByTestId('lab-queue').locator('tbody tr').first();
    await row.getByRole('button', { name: 'Accept' }).click();
    await row.getByRole('button', { name: 'Start' }).click();
    await row.getByRole('button', { name: 'Complete…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Result').fill('Haemoglobin 128 g/L, WBC 7.1');
    await dialog.getByRole('button', { name: 'Complete with this result' }).click();
    await page.getByText('The queue is empty.').waitFor();
    await screenshot(page, 'shift-09-lab-queue-done');
  });
});

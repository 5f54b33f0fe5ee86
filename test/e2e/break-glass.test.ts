/**
 * Break-glass in a real browser against the real server (issue 15, done-when): Margaret Hughes's
 * record is restricted; the nurse opening her chart is asked for a reason and her password, and
 * reads it twice under break-glass; after a sync, the manager's access report for Hughes, read
 * from the server, lists the break-glass with its reason and each read, and the manager signs it
 * off in the Break-glass review, which the server then holds too.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HOSPITAL_ID } from '../../db/seed/demo-data';
import { stableId } from '../../shared/reference-data';
import type { CentralServer } from '../support/central-server';
import type { SyncedHarness } from '../harness/synced-harness';
import { screenshot, seriousViolations, signIn } from './support/browser';
import { openSyncedScenario } from './support/synced-scenario';

const hughesId = stableId('patient', 'NGH/1');

let server: CentralServer;
let harness: SyncedHarness;
let close: () => Promise<void>;
let page: Page;

beforeAll(async () => {
  ({ server, harness, page, close } = await openSyncedScenario({
    name: 'break-glass',
    proxySeed: 15,
    injectsScripts: true,
    // An administrator restricted the record (a public figure) before this workstation enrolled.
    prepare: async (central) => {
      await central.database.db.$client.query(
        `insert into patient_restrictions (id, hospital_id, patient_id, reason) values ($1, $2, $3, 'public_figure')`,
        [randomUUID(), DEMO_HOSPITAL_ID, hughesId],
      );
    },
  }));
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail')
    await screenshot(page, `failed-${context.task.name.replace(/\W+/g, '-')}`);
});

afterAll(() => close());

const serverEvents = async (action: string) =>
  (
    await server.database.db.$client.query<{ purpose: string | null; role: string | null }>(
      `select after->>'purpose' as purpose, role from audit_logs
        where action = $1 and patient_id = $2 order by at`,
      [action, hughesId],
    )
  ).rows;

describe('break-glass on a restricted record', () => {
  it('the nurse gives a reason and her password, and reads the chart under break-glass', async () => {
    await signIn(page, 'nurse@hass.example', 'nurse123');
    await page.getByTestId('ward-grid').waitFor();
    await page.getByTestId('bed-A-01').getByRole('button').click();
    const form = page.getByTestId('break-glass');
    await form.waitFor();
    await expect(form.textContent()).resolves.toContain('restricted');
    await expect(seriousViolations(page)).resolves.toEqual([]);
    // A wrong password opens nothing.
    await form.getByRole('radio', { name: 'Emergency' }).check();
    await form.getByLabel('Your password').fill('not-my-password');
    await form.getByLabel('Your password').press('Enter');
    await form.getByRole('alert').waitFor();
    await expect(form.getByRole('alert').textContent()).resolves.toContain('not right');
    await screenshot(page, 'break-glass-01-asked');

    await form.getByLabel('Your password').fill('nurse123');
    await form.getByLabel('Your password').press('Enter');
    await page.getByTestId('chart-patient').waitFor();
    await expect(page.getByTestId('break-glass-active').textContent()).resolves.toContain(
      'break-glass: emergency',
    );
    await screenshot(page, 'break-glass-02-open');
    // A second read within the hour (the screen drawn afresh, nothing cached) needs nothing more,
    // and is recorded too.
    await page.reload();
    await page.getByTestId('ward-grid').waitFor();
    await page.getByTestId('bed-A-01').getByRole('button').click();
    await page.getByTestId('break-glass-active').waitFor();

    expect((await harness.engine.syncNow()).ok).toBe(true);
    expect(await serverEvents('break_glass.start')).toEqual([
      { purpose: 'break-glass: emergency', role: 'nurse' },
    ]);
    expect(await serverEvents('chart.read')).toEqual([
      { purpose: 'break-glass: emergency', role: 'nurse' },
      { purpose: 'break-glass: emergency', role: 'nurse' },
    ]);
  });

  it("the manager's access report, from the server, lists the break-glass, its reason and each read; the review signs it off", async () => {
    await page.keyboard.press('Alt+L');
    await page.getByRole('heading', { name: 'Workstation locked' }).waitFor();
    await page.getByRole('button', { name: /End .*'s session/ }).click();
    await signIn(page, 'manager@hass.example', 'manager123');
    const nav = page.getByRole('navigation', { name: 'Screens' });
    await nav.getByRole('button', { name: /Access report/ }).click();
    await page.getByLabel('MRN, name or date of birth').fill('NGH-000001');
    await page.getByTestId('access-patient-results').getByText('NGH-000001').click();
    const entries = page.getByTestId('access-entries');
    await entries.getByText('break_glass.start').waitFor();
    await expect(page.getByTestId('access-partial').count()).resolves.toBe(0);
    const rows = entries.locator('tbody tr');
    const texts = await rows.allTextContents();
    const underBreakGlass = texts.filter((text) => text.includes('break-glass: emergency'));
    expect(underBreakGlass.filter((text) => text.includes('break_glass.start'))).toHaveLength(1);
    expect(underBreakGlass.filter((text) => text.includes('chart.read'))).toHaveLength(2);
    expect(underBreakGlass.every((text) => text.includes('Nina Patel'))).toBe(true);
    await screenshot(page, 'break-glass-03-access-report');

    await nav.getByRole('button', { name: /Break-glass review/ }).click();
    const review = page.getByTestId('break-glass-review');
    const row = review.locator('tbody tr').filter({ hasText: 'break-glass: emergency' });
    await row.waitFor();
    // The patient by name and MRN, so the reviewer can weigh the reason against the person.
    await expect(row.textContent()).resolves.toMatch(
      /Nina Patel.*\(NGH-000001\).*Restricted record/,
    );
    await expect(seriousViolations(page)).resolves.toEqual([]);
    await row.getByRole('button', { name: 'Sign off' }).click();
    await review.getByText(/Signed off by/).waitFor();
    expect((await harness.engine.syncNow()).ok).toBe(true);
    await screenshot(page, 'break-glass-04-signed-off');
    const signed = await server.database.db.$client.query<{ role: string | null }>(
      `select role from audit_logs where action = 'break_glass.review' and patient_id = $1`,
      [hughesId],
    );
    expect(signed.rows).toEqual([{ role: 'manager' }]);
  });
});

describe('ward assignment', () => {
  it("the nurse's board opens on her own ward; another ward's board says it is not hers", async () => {
    // The hospital turns ward assignment on and gives the nurse the last of its wards.
    const pool = server.database.db.$client;
    const wards = await pool.query<{ id: string; name: string }>(
      'select id, name from wards where hospital_id = $1 order by code',
      [DEMO_HOSPITAL_ID],
    );
    const hers = wards.rows.at(-1);
    const other = wards.rows[0];
    if (!hers || !other || hers.id === other.id) throw new Error('the demo needs two wards');
    await pool.query(
      `insert into staff_ward_assignments (id, hospital_id, user_id, ward_id)
       select $1, $2, id, $3 from users where email = 'nurse@hass.example'`,
      [randomUUID(), DEMO_HOSPITAL_ID, hers.id],
    );
    await pool.query(
      'update hospitals set ward_assignment = true, version = version + 1 where id = $1',
      [DEMO_HOSPITAL_ID],
    );
    expect((await harness.engine.syncNow()).ok).toBe(true);

    await page.keyboard.press('Alt+L');
    await page.getByRole('button', { name: /End .*'s session/ }).click();
    await signIn(page, 'nurse@hass.example', 'nurse123');
    await page.getByRole('heading', { name: `Ward board: ${hers.name}` }).waitFor();
    await page.getByTestId('ward-grid').waitFor();

    await page.getByLabel('Ward').and(page.locator('input')).click();
    await page
      .getByRole('option', { name: new RegExp(`^${other.name} .*: not your ward$`) })
      .click();
    await page
      .getByRole('alert')
      .getByText(/not one of your wards/)
      .waitFor();
    await expect(page.getByTestId('ward-grid').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /Print downtime pack/ }).count()).resolves.toBe(
      0,
    );
    await screenshot(page, 'break-glass-05-not-your-ward');
  });
});

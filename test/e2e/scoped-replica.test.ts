/**
 * A scoped workstation (docs/SYNC.md "Scope") in a real browser against the real central server:
 * it holds the clinical rows of current stays and of stays that ended within 30 days. A doctor
 * looks up a patient whose only stay ended 200 days ago: offline, the chart says in one sentence
 * that the stay's vitals, notes, orders and medications are not on this workstation, rather than
 * showing an empty chart as if nothing had been recorded; back online, the chart on screen fetches
 * the stay from the server and shows its readings, and keeps them for when the network goes again.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HOSPITAL_ID } from '../../db/seed/demo-data';
import type { CentralServer } from '../support/central-server';
import type { FaultProxy } from '../support/fault-proxy';
import { screenshot, signIn } from './support/browser';
import { openSyncedScenario } from './support/synced-scenario';

let proxy: FaultProxy;
let close: () => Promise<void>;
let page: Page;

/** Odile Brennan, seen once: a three-day stay that ended 200 days ago, with three readings. */
async function olderStay(central: CentralServer): Promise<void> {
  const pool = central.database.db.$client;
  const patient = randomUUID();
  const visit = randomUUID();
  await pool.query(
    `insert into patients (id, hospital_id, mrn, first_name, last_name, date_of_birth, sex)
     values ($1, $2, 'NGH-900201', 'Odile', 'Brennan', '1951-06-14', 'female')`,
    [patient, DEMO_HOSPITAL_ID],
  );
  await pool.query(
    `insert into visits (id, hospital_id, patient_id, ward_id, status, admitted_at, discharged_at)
     select $1, $2, $3, id, 'discharged', now() - interval '203 days', now() - interval '200 days'
       from wards where hospital_id = $2 order by code limit 1`,
    [visit, DEMO_HOSPITAL_ID, patient],
  );
  await pool.query(
    `insert into vitals (id, hospital_id, visit_id, patient_id, recorded_at, heart_rate, abnormal, recorded_by)
     select gen_random_uuid(), $1, $2, $3, now() - interval '202 days' + g * interval '4 hours',
            60 + g, '[]'::jsonb, (select id from users where email = 'nurse@hass.example')
       from generate_series(1, 3) g`,
    [DEMO_HOSPITAL_ID, visit, patient],
  );
}

beforeAll(async () => {
  ({ proxy, page, close } = await openSyncedScenario({
    name: 'scoped',
    proxySeed: 19,
    prepare: olderStay,
    replica: { snapshot: true, dischargedWithinDays: 30 },
  }));
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail')
    await screenshot(page, `failed-${context.task.name.replace(/\W+/g, '-')}`);
});

afterAll(() => close());

async function openBrennansChart(): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Screens' })
    .getByRole('button', { name: /Reception/ })
    .click();
  await page.getByLabel('MRN, name or date of birth').fill('Brennan');
  await page.getByRole('button', { name: 'Chart' }).click();
  await page.getByTestId('chart-patient').waitFor();
}

const notHeld = () =>
  page.getByRole('status').filter({ hasText: 'Not all of this stay is on this workstation' });

describe('a chart older than the workstation keeps', () => {
  it('offline, says the stay is not on this workstation instead of showing it empty', async () => {
    await signIn(page, 'doctor@hass.example', 'doctor123');
    proxy.setDown(true);
    await page.getByTestId('offline-banner').waitFor();
    await openBrennansChart();
    await notHeld().waitFor();
    await expect(notHeld().textContent()).resolves.toContain(
      'its vitals, notes, orders and medications are not on it. Open the chart while online to fetch them.',
    );
    await expect(page.getByTestId('vitals-table').locator('tbody tr').count()).resolves.toBe(0);
    await screenshot(page, 'scoped-01-older-stay-offline');
  });

  it('back online, the chart on screen fetches the stay and shows its readings', async () => {
    proxy.setDown(false);
    const readings = page.getByTestId('vitals-table').locator('tbody tr');
    await readings.nth(2).waitFor();
    await expect(readings.count()).resolves.toBe(3);
    await expect(notHeld().count()).resolves.toBe(0);
    await screenshot(page, 'scoped-02-older-stay-online');
  });

  it('keeps the fetched stay: opened again offline, the readings are there', async () => {
    proxy.setDown(true);
    await page.getByTestId('offline-banner').waitFor();
    await openBrennansChart();
    await expect(page.getByTestId('vitals-table').locator('tbody tr').count()).resolves.toBe(3);
    await expect(notHeld().count()).resolves.toBe(0);
  });
});

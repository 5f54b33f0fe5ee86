/**
 * "Records from other facilities" on the chart, in a real browser against a workstation enrolled
 * with the real central server: a doctor opens a patient who stayed at another hospital and sees
 * that stay, with the hospital it came from, read online in one signed request that the server
 * records; offline, the tab says it cannot be read rather than showing anything stale.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CentralServer } from '../support/central-server';
import type { FaultProxy } from '../support/fault-proxy';
import { screenshot, signIn } from './support/browser';
import { openSyncedScenario } from './support/synced-scenario';

const SUMMARY = 'Community-acquired pneumonia; five days of co-amoxiclav; home on day six.';

let server: CentralServer;
let proxy: FaultProxy;
let close: () => Promise<void>;
let page: Page;
const eastGeneral = randomUUID();

/** A stay of Margaret Hughes at another hospital of the region, discharged and promoted there. */
async function stayElsewhere(central: CentralServer): Promise<void> {
  const pool = central.database.db.$client;
  const ward = randomUUID();
  const visit = randomUUID();
  await pool.query(
    `insert into hospitals (id, hospital_id, code, name, region_id, bed_capacity)
     select $1, $1, 'EGH', 'East General Hospital', region_id, 40 from hospitals where code = 'NGH'`,
    [eastGeneral],
  );
  await pool.query(
    `insert into wards (id, hospital_id, code, name, floor) values ($1, $2, 'RESP', 'Respiratory', 2)`,
    [ward, eastGeneral],
  );
  await pool.query(
    `insert into visits (id, hospital_id, patient_id, ward_id, status, admitted_at, discharged_at, discharge_summary)
     select $1, $2, id, $3, 'discharged', '2026-03-02T10:00:00Z', '2026-03-08T12:00:00Z', $4
       from patients where mrn = 'NGH-000001'`,
    [visit, eastGeneral, ward, SUMMARY],
  );
  // Promotion keeps to the patient's own hospital (Tenancy), so the other facility's entry on
  // this patient's global record is written here as it would stand there.
  await pool.query(
    `insert into emr_global (id, patient_id, visit_id, source_hospital_id, admitted_at, discharged_at, record)
     select $1, v.patient_id, v.id, v.hospital_id, v.admitted_at, v.discharged_at,
            jsonb_build_object('visit', jsonb_build_object('dischargeSummary', v.discharge_summary))
       from visits v where v.id = $2`,
    [randomUUID(), visit],
  );
}

beforeAll(async () => {
  ({ server, proxy, page, close } = await openSyncedScenario({
    name: 'elsewhere',
    proxySeed: 12,
    prepare: stayElsewhere,
  }));
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail')
    await screenshot(page, `failed-${context.task.name.replace(/\W+/g, '-')}`);
});

afterAll(() => close());

const openElsewhereTab = async (bed: string) => {
  await page.getByRole('button', { name: /Back to the ward board/ }).click();
  await page.getByTestId(bed).getByRole('button').click();
  await page.getByTestId('chart-patient').waitFor();
  await page.getByRole('tab', { name: 'Records from other facilities' }).click();
};

describe('records from other facilities', () => {
  it('a doctor reads a stay at another hospital, with its source, in one signed request the server records', async () => {
    await signIn(page, 'doctor@hass.example', 'doctor123');
    await page.getByTestId('ward-grid').waitFor();
    const calls: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/trpc/')) calls.push(...path.slice('/trpc/'.length).split(','));
    });
    await page.getByTestId('bed-A-01').getByRole('button').click();
    await page.getByTestId('chart-patient').waitFor();
    await page.getByRole('tab', { name: 'Records from other facilities' }).click();
    const stay = page.getByTestId('stay-elsewhere');
    await stay.waitFor();
    await expect(stay.getByTestId('stay-source').textContent()).resolves.toBe('Another facility');
    await expect(stay.textContent()).resolves.toContain(eastGeneral);
    await expect(stay.textContent()).resolves.toContain(SUMMARY);
    await expect(stay.textContent()).resolves.toContain('2 Mar 2026');
    expect(calls.filter((name) => name === 'chart.recordsElsewhere')).toHaveLength(1);
    const reads = await server.database.db.$client.query<{ outcome: string; action: string }>(
      `select r.outcome, r.action from signed_reads r join users u on u.id = r.user_id
        where u.email = 'doctor@hass.example'`,
    );
    expect(reads.rows).toEqual([{ outcome: 'answered', action: 'emr_global.read' }]);
    await screenshot(page, 'elsewhere-01-stay-at-another-hospital');
  });

  it('offline, the tab says the records cannot be read now', async () => {
    proxy.setDown(true);
    await page.getByTestId('offline-banner').waitFor();
    await openElsewhereTab('bed-A-02');
    const offline = page.getByTestId('records-elsewhere-offline');
    await offline.waitFor();
    await expect(offline.textContent()).resolves.toContain('cannot be reached');
    await screenshot(page, 'elsewhere-02-offline');
    proxy.setDown(false);
    // Back online before the next person signs in here for the first time (online only).
    await page.getByTestId('offline-banner').waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('a nurse, without emr_global:read, has no such tab', async () => {
    await page.keyboard.press('Alt+L');
    await page.getByRole('heading', { name: 'Workstation locked' }).waitFor();
    await page.getByRole('button', { name: /End .*'s session/ }).click();
    // The lock screen has its own sign-in form: wait for the login screen that replaces it.
    await page.getByRole('heading', { name: 'Wardline' }).waitFor();
    await signIn(page, 'nurse@hass.example', 'nurse123');
    await page.getByTestId('bed-A-01').getByRole('button').click();
    await page.getByTestId('chart-patient').waitFor();
    await expect(
      page.getByRole('tab', { name: 'Records from other facilities' }).count(),
    ).resolves.toBe(0);
  });
});

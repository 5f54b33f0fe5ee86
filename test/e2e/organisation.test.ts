/**
 * Issue 16's new hospital, the Admin screens part, in a real browser: IT has made the region,
 * the hospital and its administrator on the server (what `npm run server -- org` and
 * `create-user` run) and enrolled this workstation; the administrator imports the wards and beds
 * from a CSV file (a file with a mistake first: nothing imported, the line named), adds a bed,
 * puts it under maintenance, and revokes a lost workstation on the Devices screen. The server's
 * database has all of it after a sync.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { addHospital, addRegion } from '../../server/organisation/organisation';
import { createStaffAccount } from '../../server/staff/create-account';
import { confirmPassword, screenshot, seriousViolations, signIn } from './support/browser';
import { screenshotFailure } from './support/scenario';
import { openSyncedScenario, type SyncedScenario } from './support/synced-scenario';

const ADMIN = { email: 'it.admin@rvh.example', password: 'riverside-admin-2026' };
const GOOD_CSV = [
  'ward_code,ward_name,floor,bed_number,bed_status',
  'ICU,Intensive care,2,ICU-01,',
  'ICU,Intensive care,2,ICU-02,reserved',
  'MED,Medical ward,1,MED-01,',
].join('\n');

let scenario: SyncedScenario;
let page: Page;

beforeAll(async () => {
  scenario = await openSyncedScenario({
    name: 'organisation',
    proxySeed: 61,
    injectsScripts: true,
    hospitalCode: 'RVH',
    prepare: async (server) => {
      const pool = server.database.db.$client;
      await addRegion(pool, { code: 'WEST', name: 'West region' });
      await addHospital(pool, {
        code: 'RVH',
        name: 'Riverside Hospital',
        regionCode: 'WEST',
        bedCapacity: 24,
      });
      await createStaffAccount(pool, {
        hospitalCode: 'RVH',
        email: ADMIN.email,
        fullName: 'Iris Tan',
        role: 'regional_admin',
        password: ADMIN.password,
      });
    },
  });
  ({ page } = scenario);
});

afterEach(screenshotFailure(() => page));

afterAll(() => scenario.close());

function csvFile(text: string) {
  return { name: 'wards.csv', mimeType: 'text/csv', buffer: Buffer.from(text) };
}

async function serverRows<T>(sql: string): Promise<T[]> {
  const result = await scenario.server.database.db.$client.query(sql);
  return result.rows as T[];
}

test('the administrator imports wards and beds, adds a bed and closes it for maintenance', async () => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page
    .getByRole('navigation', { name: 'Screens' })
    .getByRole('button', { name: /Admin/ })
    .press('Enter');
  await page.getByRole('tab', { name: 'Wards and beds' }).click();
  await page.getByTestId('hospital-card').getByText('Riverside Hospital').waitFor();

  await page
    .getByTestId('csv-file')
    .setInputFiles(csvFile(`${GOOD_CSV}\nMED,Medical ward,one,MED-02,`));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const problems = page.getByTestId('import-problems');
  await problems.waitFor();
  await expect(problems.textContent()).resolves.toMatch(/Line 5: floor:/);
  await expect(page.getByTestId('ward-card').count()).resolves.toBe(0);
  await screenshot(page, 'organisation-01-import-refused');

  await page.getByTestId('csv-file').setInputFiles(csvFile(GOOD_CSV));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByTestId('import-done').waitFor();
  await expect(page.getByTestId('import-done').textContent()).resolves.toContain(
    'Imported 2 new wards and 3 beds',
  );
  const medical = page.locator('[data-ward-code="MED"]');
  await medical.waitFor();

  await medical.getByLabel('New bed number on Medical ward').fill('MED-02');
  await medical.getByRole('button', { name: 'Add bed' }).click();
  await medical.locator('[data-bed-number="MED-02"]').waitFor();
  await medical.getByLabel('Status of bed MED-02').click();
  await page.getByRole('option', { name: 'Maintenance' }).click();
  await expect
    .poll(() => medical.getByLabel('Status of bed MED-02').inputValue())
    .toBe('Maintenance');
  const wardAssignment = page.getByRole('switch', { name: /Ward assignment/ });
  await wardAssignment.click();
  await expect.poll(() => wardAssignment.isChecked()).toBe(true);
  await screenshot(page, 'organisation-02-wards-and-beds');
  expect(await seriousViolations(page)).toEqual([]);

  expect((await scenario.harness.engine.syncNow()).ok).toBe(true);
  const beds = await serverRows<{ number: string; status: string; ward: string }>(
    `select b.number, b.status, w.code as ward from beds b join wards w on w.id = b.ward_id
       join hospitals h on h.id = b.hospital_id where h.code = 'RVH' order by b.number`,
  );
  expect(beds).toEqual([
    { number: 'ICU-01', status: 'available', ward: 'ICU' },
    { number: 'ICU-02', status: 'reserved', ward: 'ICU' },
    { number: 'MED-01', status: 'available', ward: 'MED' },
    { number: 'MED-02', status: 'maintenance', ward: 'MED' },
  ]);
  const hospital = await serverRows<{ ward_assignment: boolean }>(
    `select ward_assignment from hospitals where code = 'RVH'`,
  );
  expect(hospital).toEqual([{ ward_assignment: true }]);
});

test('the administrator revokes a lost workstation of the hospital on the Devices screen', async () => {
  const enrolled = await fetch(`${scenario.server.url}/v1/devices/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      code: await scenario.server.enrollmentCode('RVH'),
      deviceName: 'Lost laptop',
    }),
  });
  const { deviceId } = (await enrolled.json()) as { deviceId: string };
  await page
    .getByRole('navigation', { name: 'Screens' })
    .getByRole('button', { name: /Devices/ })
    .press('Enter');
  const row = page.locator(`[data-device-id="${deviceId}"]`);
  await row.waitFor();
  await row.getByRole('button', { name: 'Revoke…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke Lost laptop?' });
  await confirm.waitFor();
  await confirm.getByRole('button', { name: 'Revoke Lost laptop' }).click();
  await confirmPassword(page, ADMIN.password);
  await confirm.waitFor({ state: 'hidden' });
  await expect.poll(() => row.getByTestId('fleet-revoked').textContent()).not.toBe('');
  await row.getByRole('button', { name: 'Revoke…' }).waitFor({ state: 'detached' });
  await screenshot(page, 'organisation-03-device-revoked');
  const revoked = await serverRows<{ revoked: boolean }>(
    `select revoked_at is not null as revoked from devices where id = '${deviceId}'`,
  );
  expect(revoked).toEqual([{ revoked: true }]);
});

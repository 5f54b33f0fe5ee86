/**
 * A ward lives through a network outage, in a real browser against a workstation enrolled with
 * the real central server (PostgreSQL) through a proxy that can cut the network: the nurse and
 * the receptionist keep working, the pending count grows, and drains to zero when the server is
 * reachable again; a same-field edit made on purpose on another workstation meanwhile shows up
 * in the sync panel with both values and is resolved there.
 */
import dayjs from 'dayjs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { patients, users } from '../../db/local/schema';
import { writeClinical, type WriteContext } from '../../main/services/write-path';
import { enrolledWorkstation } from '../support/workstation';
import type { SyncedHarness } from '../harness/synced-harness';
import type { CentralServer } from '../support/central-server';
import type { FaultProxy } from '../support/fault-proxy';
import { screenshot, signIn } from './support/browser';
import { openSyncedScenario } from './support/synced-scenario';

let server: CentralServer;
let proxy: FaultProxy;
let harness: SyncedHarness;
let close: () => Promise<void>;
let page: Page;

beforeAll(async () => {
  ({ server, proxy, harness, page, close } = await openSyncedScenario({
    name: 'outage',
    proxySeed: 11,
  }));
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail')
    await screenshot(page, `failed-${context.task.name.replace(/\W+/g, '-')}`);
});

afterAll(() => close());

const pending = () => page.getByTestId('sync-pending');
const pendingIs = (count: number) =>
  pending()
    .and(page.locator(`[data-count="${String(count)}"]`))
    .waitFor();
const pendingCount = async () => Number(await pending().getAttribute('data-count'));

async function handOver(email: string, password: string): Promise<void> {
  await page.keyboard.press('Alt+L');
  await page.getByRole('heading', { name: 'Workstation locked' }).waitFor();
  await page.getByRole('button', { name: /End .*'s session/ }).click();
  await page.getByRole('heading', { name: 'Wardline' }).waitFor();
  await signIn(page, email, password);
}

describe('a ward through a network outage', () => {
  it('signs people in through the server while it is up, and shows the workstation online and in sync', async () => {
    // The receptionist signs in online once, so this workstation can sign her in offline later.
    await signIn(page, 'reception@hass.example', 'reception123');
    await handOver('nurse@hass.example', 'nurse123');
    await page.getByTestId('sync-state').filter({ hasText: 'Online' }).waitFor();
    await pendingIs(0);
    await screenshot(page, 'outage-01-online');
  });

  it('shows the outage, and the nurse keeps charting vitals and a dose while the count grows', async () => {
    proxy.setDown(true);
    await page.getByTestId('offline-banner').waitFor();
    await page.getByTestId('sync-state').filter({ hasText: 'Offline' }).waitFor();
    await page.getByTestId('ward-grid').waitFor();
    await page.getByTestId('bed-A-02').getByRole('button').click();
    await page.getByTestId('chart-patient').waitFor();
    await page.keyboard.press('Alt+V');
    await page.getByLabel('Heart rate (/min)').fill('128');
    await page.getByLabel('SpO₂ (%)').fill('96');
    await page.getByLabel('SpO₂ (%)').press('Enter');
    await pendingIs(1);
    await page.getByRole('tab', { name: 'Medications' }).click();
    await page.getByRole('button', { name: 'Give Amoxicillin' }).click();
    await page.getByRole('dialog').getByLabel('Wristband', { exact: true }).fill('NGH-000002');
    await page.getByRole('dialog').getByRole('button', { name: 'Chart dose' }).click();
    await page.getByTestId('mar-table').getByText('given').first().waitFor();
    await pendingIs(2);
    await screenshot(page, 'outage-02-nurse-offline');
  });

  it('the receptionist signs in offline, registers a patient and books an appointment; the count grows', async () => {
    const before = await pendingCount();
    await handOver('reception@hass.example', 'reception123');
    await page.getByText('Signed in offline').waitFor();
    await page.keyboard.press('Alt+R');
    const dialog = page.getByRole('dialog', { name: 'Register a patient' });
    await dialog.getByLabel('First name').fill('Oskar');
    await dialog.getByLabel('Last name').fill('Lindgren');
    await dialog.getByLabel('Date of birth').fill('1972-02-08');
    await dialog.getByLabel('Date of birth').press('Enter');
    await dialog.getByLabel('Sex').click();
    await page.getByRole('option', { name: 'male', exact: true }).click();
    await dialog.getByRole('button', { name: 'Register', exact: true }).click();
    const booking = page.getByRole('dialog', { name: /Book an appointment: LINDGREN, Oskar/ });
    await booking.getByLabel('Doctor').click();
    await page.getByRole('option', { name: 'Dr Dana Okafor' }).click();
    await booking.getByLabel('Day').fill(dayjs().add(1, 'day').format('YYYY-MM-DD'));
    await booking.getByLabel('Day').press('Enter');
    await booking.getByLabel('Time').fill('11:15');
    await booking.getByLabel('Time').press('Enter');
    await booking.waitFor({ state: 'hidden' });
    await pendingIs(before + 2);
    expect(await pendingCount()).toBeGreaterThanOrEqual(4);
    await screenshot(page, 'outage-03-reception-offline');
  });

  it('drains to zero when the server is reachable again', async () => {
    proxy.setDown(false);
    await pendingIs(0);
    await page.getByTestId('sync-state').filter({ hasText: 'Online' }).waitFor();
    await expect(page.getByTestId('offline-banner').count()).resolves.toBe(0);
    const rows = await server.database.db.$client.query<{ n: string }>(
      "select count(*) as n from patients where last_name = 'Lindgren'",
    );
    expect(rows.rows[0]?.n).toBe('1');
    // The dose charted offline reached the server with its wristband scan (issue 17).
    const doses = await server.database.db.$client.query<{ wristband_check: string | null }>(
      'select wristband_check from medication_administrations where wristband_check is not null',
    );
    expect(doses.rows.map((row) => row.wristband_check)).toEqual(['scanned']);
    await screenshot(page, 'outage-04-drained');
  });

  it('a same-field edit made meanwhile on another workstation appears in the panel with both values and is resolved', async () => {
    const editPhone = (context: WriteContext, id: string, phone: string) =>
      writeClinical(context, (batch) => batch.update(patients, id, { phone }));
    const db = harness.workstation.db;
    const hughes = db.select().from(patients).where(eq(patients.mrn, 'NGH-000001')).get();
    const receptionist = db
      .select()
      .from(users)
      .where(eq(users.email, 'reception@hass.example'))
      .get();
    if (!hughes || !receptionist?.hospitalId)
      throw new Error('demo patient or receptionist missing from the replica');

    proxy.setDown(true);
    await page.getByTestId('offline-banner').waitFor();
    // The receptionist is signed in (offline): her change is signed with her session's key.
    editPhone(
      {
        db,
        clock: harness.workstation.clock,
        actor: {
          userId: receptionist.id,
          hospitalId: receptionist.hospitalId,
          signer: harness.workstation.sessions.signer(),
        },
      },
      hughes.id,
      '+44 7700 900111',
    );
    const other = await enrolledWorkstation(
      'other-desk',
      server.url,
      await server.enrollmentCode(),
    );
    try {
      editPhone(other.as('reception@hass.example'), hughes.id, '+44 7700 900222');
      expect((await other.sync()).ok).toBe(true);
    } finally {
      await other.close();
    }
    proxy.setDown(false);

    await page.getByTestId('sync-problems').waitFor();
    await page.getByTestId('sync-badge').click();
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor();
    await expect(conflict.getByTestId('conflict-local').textContent()).resolves.toBe(
      '+44 7700 900111',
    );
    await expect(conflict.getByTestId('conflict-server').textContent()).resolves.toBe(
      '+44 7700 900222',
    );
    await screenshot(page, 'outage-05-conflict');
    await conflict.getByRole('button', { name: "Keep this workstation's" }).click();
    await page.getByText('No conflicts.', { exact: false }).waitFor();
    await pendingIs(0);
    const rows = await server.database.db.$client.query<{ phone: string }>(
      'select phone from patients where id = $1',
      [hughes.id],
    );
    expect(rows.rows[0]?.phone).toBe('+44 7700 900111');
    await screenshot(page, 'outage-06-conflict-resolved');
  });
});

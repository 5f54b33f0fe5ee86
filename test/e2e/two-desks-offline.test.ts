/**
 * Two desks offline, reconciled by the real server (issue 13), in a real browser: this
 * workstation (the browser's, enrolled through a proxy that can cut the network) and a second
 * one driven through its services. One person is registered on both and merged on the merge
 * screen (either MRN then finds the survivor; late vitals from the desk that had not heard of
 * the merge land on the survivor); one doctor's slot is booked on both (both kept, marked); one
 * stock item is dispensed on both (the counts add up).
 */
import dayjs from 'dayjs';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clinicalAlerts, inventory, patients, users, visits, wards } from '../../db/local/schema';
import { admitPatient } from '../../main/services/admission';
import { bookAppointment } from '../../main/services/appointments';
import { recordStockMovement } from '../../main/services/inventory';
import { registerPatient } from '../../main/services/patients';
import { recordVitals } from '../../main/services/vitals';
import type { SyncedHarness } from '../harness/synced-harness';
import type { CentralServer } from '../support/central-server';
import type { FaultProxy } from '../support/fault-proxy';
import { enrolledWorkstation, type TestWorkstation } from '../support/workstation';
import { screenshot, seriousViolations, signIn } from './support/browser';
import { openSyncedScenario } from './support/synced-scenario';

let server: CentralServer;
let proxy: FaultProxy;
let harness: SyncedHarness;
let other: TestWorkstation;
let close: () => Promise<void>;
let page: Page;

beforeAll(async () => {
  ({ server, proxy, harness, page, close } = await openSyncedScenario({
    name: 'two-desks',
    proxySeed: 13,
    injectsScripts: true,
  }));
  other = await enrolledWorkstation('ward-desk', server.url, await server.enrollmentCode());
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail')
    await screenshot(page, `failed-${context.task.name.replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await other.close();
  await close();
});

const pendingIs = (count: number) =>
  page
    .getByTestId('sync-pending')
    .and(page.locator(`[data-count="${String(count)}"]`))
    .waitFor();

async function handOver(email: string, password: string): Promise<void> {
  await page.keyboard.press('Alt+L');
  await page.getByRole('heading', { name: 'Workstation locked' }).waitFor();
  await page.getByRole('button', { name: /End .*'s session/ }).click();
  await page.getByRole('heading', { name: 'Wardline' }).waitFor();
  await signIn(page, email, password);
}

async function goOffline(): Promise<void> {
  proxy.setDown(true);
  await page.getByTestId('offline-banner').waitFor();
}

async function goOnlineAndDrain(): Promise<void> {
  proxy.setDown(false);
  await pendingIs(0);
  await page.getByTestId('sync-state').filter({ hasText: 'Online' }).waitFor();
}

/** Waits until this workstation's replica holds what `ready` looks for (pulled in the background). */
async function pulled(ready: () => boolean): Promise<void> {
  await expect.poll(ready, { timeout: 20_000, interval: 250 }).toBe(true);
}

const replica = () => harness.workstation.db;
const person = { first: 'Oskar', last: 'Lindgren', born: '1972-02-08' };

async function searchFor(text: string) {
  const field = page.getByLabel('MRN, name or date of birth');
  await field.fill(text);
  const results = page.getByTestId('patient-results');
  await results.waitFor();
  return results;
}

describe('two desks offline, reconciled by the server', () => {
  let frontRecord: { id: string; mrn: string };
  let wardRecord: { id: string; mrn: string };
  let wardStay: string;

  it('people sign in online first, so each can sign in here again while the network is down', async () => {
    await signIn(page, 'manager@hass.example', 'manager123');
    await handOver('pharmacist@hass.example', 'pharmacist123');
    await handOver('reception@hass.example', 'reception123');
    await page.getByTestId('sync-state').filter({ hasText: 'Online' }).waitFor();
  });

  it('the same person is registered on both desks while the network is down', async () => {
    await goOffline();
    await page.keyboard.press('Alt+R');
    const dialog = page.getByRole('dialog', { name: 'Register a patient' });
    await dialog.getByLabel('First name').fill(person.first);
    await dialog.getByLabel('Last name').fill(person.last);
    await dialog.getByLabel('Date of birth').fill(person.born);
    await dialog.getByLabel('Date of birth').press('Enter');
    await dialog.getByLabel('Sex').click();
    await page.getByRole('option', { name: 'male', exact: true }).click();
    await dialog.getByRole('button', { name: 'Register', exact: true }).click();
    await page.getByRole('dialog', { name: /Book an appointment: LINDGREN, Oskar/ }).waitFor();
    await page.keyboard.press('Escape');
    const registered = replica()
      .select()
      .from(patients)
      .where(eq(patients.lastName, person.last))
      .get();
    if (!registered) throw new Error('the registration is not in the replica');
    frontRecord = { id: registered.id, mrn: registered.mrn };

    // The ward desk, also cut off, registers and admits the same man, and charts his vitals.
    const theirs = registerPatient(other.as('reception@hass.example'), {
      firstName: person.first,
      lastName: person.last,
      dateOfBirth: person.born,
      sex: 'male',
      allergies: [{ substance: 'Penicillin', severity: 'severe' }],
    });
    wardRecord = { id: theirs.id, mrn: theirs.mrn };
    const wardId = other.db.select().from(wards).all()[0]?.id ?? '';
    wardStay = admitPatient(other.as('nurse@hass.example'), {
      patientId: theirs.id,
      wardId,
      bedId: null,
    }).id;
    recordVitals(other.as('nurse@hass.example'), { visitId: wardStay, heartRate: 84 });
    expect(wardRecord.mrn).not.toBe(frontRecord.mrn);

    await goOnlineAndDrain();
    expect((await other.sync()).ok).toBe(true);
    await pulled(
      () =>
        replica().select().from(patients).where(eq(patients.id, wardRecord.id)).get() !== undefined,
    );
    const alerts = await server.database.db.$client.query<{ n: number }>(
      "select count(*)::int as n from clinical_alerts where kind = 'possible_duplicate_patient' and patient_id = any($1::uuid[])",
      [[frontRecord.id, wardRecord.id]],
    );
    expect(alerts.rows[0]?.n).toBe(1);
  });

  it('the manager compares the two records side by side and merges them, with the network down again', async () => {
    await handOver('manager@hass.example', 'manager123');
    await page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('button', { name: /Reception/ })
      .click();
    const results = await searchFor('lindgren');
    await expect(results.getByRole('row').count()).resolves.toBe(3);
    await goOffline();
    await results
      .getByRole('button', { name: `Merge MRN ${frontRecord.mrn} with another record` })
      .click();
    await page.getByRole('heading', { name: 'Compare and merge patient records' }).waitFor();
    await page.getByLabel('Other record: MRN, name or date of birth').fill(wardRecord.mrn);
    await page.getByRole('button', { name: `Compare with MRN ${wardRecord.mrn}` }).click();
    const comparison = page.getByTestId('merge-comparison');
    await comparison.waitFor();
    await expect(
      comparison.getByRole('row', { name: /Allergies/ }).textContent(),
    ).resolves.toContain('Penicillin');
    await expect(comparison.getByRole('row', { name: /Stays/ }).textContent()).resolves.toContain(
      'admitted',
    );
    await screenshot(page, 'merge-01-comparison');
    await expect(seriousViolations(page)).resolves.toEqual([]);

    await page.getByRole('button', { name: 'Merge…' }).click();
    await page.getByText('Choose the record that survives', { exact: true }).waitFor();
    await page.getByRole('radio', { name: new RegExp(`Keep MRN ${frontRecord.mrn}`) }).check();
    await page
      .getByLabel('Why they are the same person (optional)')
      .fill('Same name, birth date and address');
    await page.getByRole('button', { name: 'Merge…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Merge these records?' });
    await confirm.waitFor();
    await expect(seriousViolations(page)).resolves.toEqual([]);
    await screenshot(page, 'merge-02-confirm');
    await confirm.getByRole('button', { name: 'Merge records' }).click();
    await page.getByTestId('merge-done').waitFor();
    await pendingIs(1);
    await screenshot(page, 'merge-03-merged-offline');

    // Offline, this workstation already finds the person under either MRN.
    await page.getByRole('button', { name: 'Back to reception' }).click();
    for (const mrn of [wardRecord.mrn, frontRecord.mrn]) {
      const found = await searchFor(mrn);
      await expect(found.getByRole('row').count()).resolves.toBe(2);
      await expect(found.textContent()).resolves.toContain(frontRecord.mrn);
      await expect(found.getByTestId('also-known-as').textContent()).resolves.toBe(
        `also ${wardRecord.mrn}`,
      );
    }
  });

  it('the server carries out the merge; a late vitals entry from the desk that had not heard lands on the survivor', async () => {
    // The ward desk is still cut off from the merge: it charts against the record it knows.
    const late = recordVitals(other.as('nurse@hass.example'), {
      visitId: wardStay,
      heartRate: 91,
      notes: 'late',
    });
    await goOnlineAndDrain();
    expect((await other.sync()).ok).toBe(true);
    const stored = await server.database.db.$client.query<{ patient_id: string }>(
      'select patient_id from vitals where id = $1',
      [late.id],
    );
    expect(stored.rows[0]?.patient_id).toBe(frontRecord.id);
    const merged = await server.database.db.$client.query<{ merged_into_id: string }>(
      'select merged_into_id from patients where id = $1',
      [wardRecord.id],
    );
    expect(merged.rows[0]?.merged_into_id).toBe(frontRecord.id);
    await pulled(
      () =>
        replica().select().from(visits).where(eq(visits.id, wardStay)).get()?.patientId ===
        frontRecord.id,
    );
    // The ward desk's stay moved to the survivor: the survivor is now the admitted one.
    const found = await searchFor(wardRecord.mrn);
    const survivorRow = found.getByRole('row', { name: new RegExp(frontRecord.mrn) });
    await expect.poll(() => survivorRow.textContent()).not.toContain('Not admitted');
    await screenshot(page, 'merge-04-search-either-mrn');
    expect(
      other.db.select().from(patients).where(eq(patients.id, wardRecord.id)).get()?.mergedIntoId,
    ).toBe(frontRecord.id);
  });

  it('one doctor’s slot booked on both desks offline: both kept, the later one a conflict, both marked', async () => {
    await handOver('reception@hass.example', 'reception123');
    await goOffline();
    const tomorrow = dayjs().add(1, 'day');
    const doctor = replica()
      .select()
      .from(users)
      .where(eq(users.email, 'doctor@hass.example'))
      .get();
    const [firstDemo] = other.db.select().from(patients).orderBy(patients.mrn).limit(1).all();
    if (!doctor || !firstDemo) throw new Error('demo data missing');
    const theirs = bookAppointment(other.as('reception@hass.example'), {
      patientId: firstDemo.id,
      doctorId: doctor.id,
      scheduledAt: tomorrow.hour(11).minute(10).second(0).millisecond(0).toISOString(),
      durationMinutes: 20,
    });
    expect((await other.sync()).ok).toBe(true);

    const results = await searchFor(frontRecord.mrn);
    await results.getByRole('button', { name: 'Book' }).click();
    const booking = page.getByRole('dialog', { name: /Book an appointment: LINDGREN, Oskar/ });
    await booking.getByLabel('Doctor').click();
    await page.getByRole('option', { name: 'Dr Dana Okafor' }).click();
    await booking.getByLabel('Day').fill(tomorrow.format('YYYY-MM-DD'));
    await booking.getByLabel('Day').press('Enter');
    await booking.getByLabel('Time').fill('11:15');
    await booking.getByLabel('Time').press('Enter');
    await booking.waitFor({ state: 'hidden' });
    await goOnlineAndDrain();

    const alert = await server.database.db.$client.query<{ details: Record<string, unknown> }>(
      "select details from clinical_alerts where kind = 'slot_taken' and details->>'otherAppointmentId' = $1",
      [theirs.id],
    );
    expect(alert.rows).toHaveLength(1);
    await pulled(
      () =>
        replica().select().from(clinicalAlerts).where(eq(clinicalAlerts.kind, 'slot_taken')).all()
          .length === 1,
    );
    // Booking showed the appointments of its day.
    const table = page.getByTestId('appointments-table');
    await expect.poll(() => table.getByTestId('slot-taken').count(), { timeout: 25_000 }).toBe(2);
    await screenshot(page, 'slot-taken-01-both-kept');
    await page.getByTestId('sync-badge').click();
    await page.getByTestId('conflict').first().waitFor();
    await screenshot(page, 'slot-taken-02-conflict');
  });

  it('one stock item dispensed on both desks offline: the counts add up', async () => {
    await handOver('pharmacist@hass.example', 'pharmacist123');
    await goOffline();
    const saline = replica().select().from(inventory).where(eq(inventory.sku, 'MED-NACL-1L')).get();
    if (!saline) throw new Error('no saline in the demo');
    await page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('button', { name: /Inventory/ })
      .click();
    const row = page.getByTestId('inventory-table').getByRole('row', { name: /Sodium chloride/ });
    await expect(row.textContent()).resolves.toContain('8 bag');
    await row.getByRole('button', { name: /Record stock of Sodium chloride/ }).click();
    const dialog = page.getByRole('dialog', {
      name: /Sodium chloride 0.9% 1 L \(8 bag in stock\)/,
    });
    await dialog.getByLabel('How many').fill('3');
    await expect(seriousViolations(page)).resolves.toEqual([]);
    await dialog.getByLabel('Reason').fill('Ward A, night round');
    await dialog.getByLabel('Reason').press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => row.textContent()).toContain('5 bag');
    recordStockMovement(other.as('pharmacist@hass.example'), {
      itemId: saline.id,
      kind: 'dispensed',
      quantity: 2,
      reason: 'Ward B',
    });
    await goOnlineAndDrain();
    expect((await other.sync()).ok).toBe(true);
    await expect.poll(() => row.textContent(), { timeout: 25_000 }).toContain('3 bag');
    await row.getByRole('button', { name: /Movements of Sodium chloride/ }).click();
    const movements = page.getByTestId('movements-table');
    await expect.poll(() => movements.getByRole('row').count()).toBe(4);
    await screenshot(page, 'stock-01-two-dispensings');
    await expect(seriousViolations(page)).resolves.toEqual([]);
    const sum = await server.database.db.$client.query<{ n: number }>(
      'select sum(quantity)::int as n from inventory_movements where item_id = $1',
      [saline.id],
    );
    expect(sum.rows[0]?.n).toBe(3);
  });
});

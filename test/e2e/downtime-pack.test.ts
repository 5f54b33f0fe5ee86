/**
 * Issue 17's done-when, in a real browser against a workstation synced with the real central
 * server through a proxy that cuts the network: with the network down, a nurse prints ward A's
 * downtime pack (the HTML the app answered, printed to PDF by Chromium and read back with
 * pdftotext, holds every patient of the ward and every dose due in the next 24 h); prints a
 * wristband whose barcode, read back from the rendered page, is the patient's MRN; and scanning
 * another patient's wristband in the dose modal refuses the dose.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { beds, medicationAdministrations, patients, visits } from '../../db/local/schema';
import { listScheduledDoses } from '../../main/services/doses-due';
import { formatPrintedTime } from '../../shared/print/print-html';
import { stableId } from '../../shared/reference-data';
import type { SyncedHarness } from '../harness/synced-harness';
import type { FaultProxy } from '../support/fault-proxy';
import { printToPdfText, readCode128 } from '../support/printed-pdf';
import { confirmPassword, screenshot, signIn } from './support/browser';
import { openSyncedScenario } from './support/synced-scenario';

let proxy: FaultProxy;
let harness: SyncedHarness;
let close: () => Promise<void>;
let page: Page;

beforeAll(async () => {
  ({ proxy, harness, page, close } = await openSyncedScenario({
    name: 'downtime',
    proxySeed: 17,
  }));
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail')
    await screenshot(page, `failed-${context.task.name.replace(/\W+/g, '-')}`);
});

afterAll(() => close());

const wardA = stableId('ward', 'NGH/MED-A');
const db = () => harness.workstation.db;

/** The ward's admitted patients as the replica holds them, by bed. */
function wardPatients() {
  return db()
    .select({ mrn: patients.mrn, lastName: patients.lastName, bed: beds.number })
    .from(visits)
    .innerJoin(patients, eq(patients.id, visits.patientId))
    .leftJoin(beds, eq(beds.id, visits.bedId))
    .where(
      and(
        eq(visits.wardId, wardA),
        eq(visits.status, 'admitted'),
        sql`${visits.deletedAt} is null`,
      ),
    )
    .all();
}

/** The document a print procedure answered: the same HTML the app prints or saves as PDF. */
async function printedHtml(response: Promise<Response>): Promise<string> {
  const found = JSON.stringify(await (await response).json()).match(/"html":"((?:[^"\\]|\\.)*)"/);
  if (!found?.[1]) throw new Error('the print answer held no document');
  return JSON.parse(`"${found[1]}"`) as string;
}

const printAnswer = (procedure: string) =>
  page.waitForResponse((response) => response.url().includes(`print.${procedure}`));

describe('a ward prints its downtime pack with the network down', () => {
  it('the nurse prints the pack offline: every patient of the ward and every dose due in the next 24 h', async () => {
    await signIn(page, 'nurse@hass.example', 'nurse123');
    await page.getByTestId('sync-state').filter({ hasText: 'Online' }).waitFor();
    proxy.setDown(true);
    await page.getByTestId('offline-banner').waitFor();
    await page.getByTestId('ward-grid').waitFor();

    const answer = printAnswer('downtimePack');
    await page.getByRole('button', { name: 'Print downtime pack' }).click();
    await confirmPassword(page, 'nurse123');
    const html = await printedHtml(answer);
    await page.getByTestId('print-preview').waitFor();
    await screenshot(page, 'downtime-01-pack-preview');

    const printer = await page.context().newPage();
    const { text, pages } = await printToPdfText(printer, html);
    await printer.close();

    const ward = wardPatients();
    expect(ward.length).toBeGreaterThan(0);
    for (const patient of ward) {
      expect(text).toContain(patient.mrn);
      expect(text).toContain(patient.lastName.toUpperCase());
    }
    const now = new Date();
    const { doses } = listScheduledDoses(
      db(),
      { wardId: wardA },
      { from: now, to: new Date(now.getTime() + 24 * 3_600_000 - 1), now },
    );
    expect(doses.length).toBeGreaterThan(0);
    const offset = -now.getTimezoneOffset();
    for (const dose of doses)
      expect(text).toMatch(
        new RegExp(`${formatPrintedTime(dose.scheduledFor, offset)}\\s+${dose.drug}`),
      );
    for (const pageText of pages)
      expect(pageText).toMatch(/Last synced with the server: \d\d \w{3}/);
    await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
  });

  it('a wristband is printed and its barcode reads back as the MRN', async () => {
    await page.getByTestId('bed-A-02').getByRole('button').click();
    await page.getByTestId('chart-patient').waitFor();
    await page.getByRole('button', { name: 'Print wristband and labels' }).click();
    await confirmPassword(page, 'nurse123');
    const barcode = page
      .getByTestId('print-preview')
      .locator('[data-print="wristband"] [data-barcode="code128"]');
    await barcode.waitFor();
    await screenshot(page, 'downtime-02-wristband-preview');
    const bedA02 = wardPatients().find((patient) => patient.bed === 'A-02');
    expect(await readCode128(await barcode.screenshot())).toEqual([bedA02?.mrn]);
    await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
  });

  it('scanning another patient’s wristband refuses the dose, loudly, and charts nothing', async () => {
    const otherMrn = wardPatients().find((patient) => patient.bed === 'A-01')?.mrn ?? '';
    const before = db().select().from(medicationAdministrations).all().length;
    await page.getByRole('tab', { name: 'Medications' }).click();
    await page.getByRole('button', { name: 'Give Amoxicillin' }).click();
    const dialog = page.getByRole('dialog');
    // A scanner types like a keyboard and ends with Enter.
    await dialog.getByLabel('Wristband', { exact: true }).fill(otherMrn);
    await dialog.getByLabel('Wristband', { exact: true }).press('Enter');
    const refusal = dialog.getByRole('alert').filter({ hasText: 'Wrong patient' });
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toContain(`reads ${otherMrn}`);
    await screenshot(page, 'downtime-03-wrong-wristband');
    expect(db().select().from(medicationAdministrations).all()).toHaveLength(before);
    await expect(dialog.getByLabel('Wristband', { exact: true }).inputValue()).resolves.toBe('');
  });

  it('a wristband scanned into patient search opens that patient’s chart', async () => {
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    const bedA01 = wardPatients().find((patient) => patient.bed === 'A-01');
    await page.keyboard.press('Alt+3');
    const search = page.getByLabel('MRN, name or date of birth');
    await search.fill(bedA01?.mrn ?? '');
    await search.press('Enter');
    await page
      .getByTestId('chart-patient')
      .filter({ hasText: bedA01?.lastName.toUpperCase() ?? '—' })
      .waitFor();
  });
});

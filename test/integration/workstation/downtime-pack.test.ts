/**
 * Issue 17 on a real replica, through the real router: the downtime pack of ward A printed to
 * PDF by Chromium and read back with pdftotext; the wristband printed and its barcode read back;
 * the wristband check of the dose. The clock is frozen at 08:00 UTC; bed A-02's amoxicillin TDS
 * is due at 08:00, 14:00 and 22:00.
 */
import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditLogs, medicationAdministrations } from '../../../db/local/schema';
import { stableId } from '../../../shared/reference-data';
import { launchPrinter, printToPdfText, readCode128 } from '../../support/printed-pdf';
import { createTestWorkstation, type TestWorkstation } from './support';

const wardA = stableId('ward', 'NGH/MED-A');
const visit2 = stableId('visit', 'NGH/2');
const amoxicillin = stableId('prescription', `${visit2}/amoxicillin`);

const zone = process.env.TZ;
let browser: Browser;
let page: Page;
beforeAll(async () => {
  process.env.TZ = 'UTC';
  browser = await launchPrinter();
  page = await browser.newPage();
});
afterAll(async () => {
  process.env.TZ = zone;
  await browser.close();
});

let ws: TestWorkstation;
beforeEach(() => {
  ws = createTestWorkstation();
  ws.signInAs('nurse');
});
afterEach(() => {
  ws.close();
});

async function wardAPatients() {
  const board = await ws.caller.wardBoard.get({ wardId: wardA });
  return [
    ...board.beds.flatMap((bed) => (bed.occupant ? [bed.occupant] : [])),
    ...board.withoutBed,
  ];
}

async function mrnOfVisit2() {
  const stay = (await wardAPatients()).find((p) => p.visitId === visit2);
  if (!stay) throw new Error('the demo stay NGH/2 is not on ward A');
  return stay.mrn;
}

describe('the downtime pack', () => {
  it('holds every patient of the ward and every dose due in the next 24 h, with the last sync on every page', async () => {
    // Printing takes patient data off the screen: the password again first (issue 15).
    await expect(
      ws.caller.print.downtimePack({ wardId: wardA, reauthProof: 'not-a-proof-at-all-000' }),
    ).rejects.toMatchObject({ cause: { code: 'reauth_required' } });
    const printed = await ws.caller.print.downtimePack({
      wardId: wardA,
      reauthProof: await ws.reauthProof('print'),
    });
    const { pages, text } = await printToPdfText(page, printed.html);

    const patients = await wardAPatients();
    expect(patients.length).toBeGreaterThan(0);
    expect(printed.patients).toBe(patients.length);
    for (const patient of patients) {
      expect(text).toContain(patient.mrn);
      expect(text).toContain(patient.lastName.toUpperCase());
    }
    // The 08:00 dose (due now) and the day's 14:00 and 22:00, each with its tick boxes.
    const mar = text.slice(text.search(/Medication\s+administration\s+record/));
    for (const due of ['23 Nov 2026 08:00', '23 Nov 2026 14:00', '23 Nov 2026 22:00'])
      expect(mar).toMatch(new RegExp(`${due}\\s+Amoxicillin`));
    expect(mar).not.toContain('24 Nov 2026 08:00'); // 24 h on is the next pack's.
    expect(mar.match(/given\s+held\s+refused/g)?.length).toBe(printed.doses);

    expect(pages.length).toBeGreaterThan(1);
    for (const pageText of pages) expect(pageText).toContain('Never synced with the server');

    const audit = ws.replica.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.action, 'print.downtime_pack'))
      .all();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(patients[0]?.mrn ?? '—');
  });

  it('shows a dose charted already, and how many doses followed a wristband scan', async () => {
    await ws.caller.mar.record({
      prescriptionId: amoxicillin,
      scheduledFor: '2026-11-23T08:00:00.000Z',
      status: 'given',
      wristband: { check: 'scanned', scanned: await mrnOfVisit2() },
    });
    expect(await ws.caller.mar.wristbandScans({ wardId: wardA })).toEqual({
      scanned: 1,
      charted: 1,
    });
    const { text } = await printToPdfText(
      page,
      (
        await ws.caller.print.downtimePack({
          wardId: wardA,
          reauthProof: await ws.reauthProof('print'),
        })
      ).html,
    );
    expect(text).toMatch(/23 Nov 2026 08:00\s+Amoxicillin\s+500 mg\s+charted: given/);
    expect(text).toContain('Wristband scanned before 1 of 1 doses');
  });
});

describe('the wristband', () => {
  it('prints the MRN as a Code 128 barcode that reads back as the MRN', async () => {
    const mrn = await mrnOfVisit2();
    const patientId = (await wardAPatients()).find((p) => p.visitId === visit2)?.patientId ?? '';
    const printed = await ws.caller.print.wristband({
      patientId,
      labels: 2,
      reauthProof: await ws.reauthProof('print'),
    });
    const { text } = await printToPdfText(page, printed.html);
    expect(text).toContain(`MRN ${mrn}`);
    expect(text.match(new RegExp(`MRN ${mrn}`, 'g'))?.length).toBe(3); // band + 2 labels

    const band = page.locator('[data-print="wristband"] [data-barcode="code128"]');
    expect(await readCode128(await band.screenshot())).toEqual([mrn]);
  });
});

describe('the wristband check before a dose', () => {
  const dose = {
    prescriptionId: amoxicillin,
    scheduledFor: '2026-11-23T08:00:00.000Z',
    status: 'given' as const,
  };
  const charted = () =>
    ws.replica.db
      .select()
      .from(medicationAdministrations)
      .where(and(eq(medicationAdministrations.prescriptionId, amoxicillin)))
      .all();

  it('refuses a dose when the wristband scanned is another patient’s, and charts nothing', async () => {
    const other = (await wardAPatients()).find((p) => p.visitId !== visit2);
    if (!other) throw new Error('ward A holds one patient only');
    await expect(
      ws.caller.mar.record({ ...dose, wristband: { check: 'scanned', scanned: other.mrn } }),
    ).rejects.toThrow(`Wrong patient: the wristband scanned reads ${other.mrn}`);
    expect(charted()).toHaveLength(0);
  });

  it('records a matching scan (as the scanner typed it) and a skip with its reason', async () => {
    const mrn = await mrnOfVisit2();
    await ws.caller.mar.record({
      ...dose,
      wristband: { check: 'scanned', scanned: ` ${mrn.toLowerCase()}\n` },
    });
    await expect(
      ws.caller.mar.record({
        ...dose,
        scheduledFor: '2026-11-23T14:00:00.000Z',
        status: 'held',
        reason: 'Nil by mouth',
        wristband: { check: 'skipped', reason: '' },
      }),
    ).rejects.toThrow();
    await ws.caller.mar.record({
      ...dose,
      scheduledFor: '2026-11-23T14:00:00.000Z',
      status: 'held',
      reason: 'Nil by mouth',
      wristband: { check: 'skipped', reason: 'Wristband unreadable, identity checked aloud' },
    });
    expect(
      charted().map((row) => [row.scheduledFor, row.wristbandCheck, row.wristbandSkipReason]),
    ).toEqual([
      ['2026-11-23T08:00:00.000Z', 'scanned', null],
      ['2026-11-23T14:00:00.000Z', 'skipped', 'Wristband unreadable, identity checked aloud'],
    ]);
    expect(await ws.caller.mar.wristbandScans({ wardId: wardA })).toEqual({
      scanned: 1,
      charted: 2,
    });
  });
});

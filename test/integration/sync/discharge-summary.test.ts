/**
 * Issue 17, done when: a discharge with an approved summary reaches the global EMR; an
 * unapproved draft does not. The draft is written from the stay's records, reviewed, synced
 * (drafts travel like every row), rejected; the approved text alone is promoted. The printable
 * page is printed to PDF by the machine's Chromium and read back with pdftotext.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dischargePatient } from '../../../main/services/discharge';
import {
  draftDischargeSummary,
  rejectDischargeSummary,
  reviseDischargeSummary,
} from '../../../main/services/discharge-summary';
import { printDischargeSummary } from '../../../main/services/discharge-summary-print';
import { orderLabTest } from '../../../main/services/lab-tests';
import { locateBrowser } from '../../../scripts/find-browser';
import { stableId } from '../../../shared/reference-data';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

const visit1 = stableId('visit', 'NGH/1');
const NOT_APPROVED = 'Unapproved wording that must never reach the global record.';
const APPROVED = 'Recovered from pneumonia; home on oral amoxicillin, GP review in one week.';

async function pdfText(html: string): Promise<string> {
  const found = locateBrowser({ env: process.env, platform: process.platform, mayInstall: false });
  if (found.kind !== 'found') throw new Error('No Chromium on this machine to print with.');
  const dir = mkdtempSync(join(tmpdir(), 'wardline-print-'));
  const browser = await chromium.launch({
    executablePath: found.path,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage();
    await page.setContent(html);
    writeFileSync(join(dir, 'summary.pdf'), await page.pdf({ format: 'A4' }));
    return execFileSync('pdftotext', ['-layout', join(dir, 'summary.pdf'), '-'], {
      encoding: 'utf8',
    });
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the discharge summary', () => {
  let server: CentralServer;
  let ward: TestWorkstation;

  beforeAll(async () => {
    server = await startCentralServer();
    ward = await enrolledWorkstation('discharge', server.url, await server.enrollmentCode());
  });
  afterAll(async () => {
    await ward.close();
    await server.close();
  });

  const query = async (sql: string, values: unknown[]) =>
    (await server.database.db.$client.query<Record<string, unknown>>(sql, values)).rows;

  it('is drafted from the stay, and only its approved text reaches the global EMR', async () => {
    const doctor = ward.as('doctor@hass.example');
    orderLabTest(doctor, { visitId: visit1, testCode: 'CRP', testName: 'C-reactive protein' });
    const first = draftDischargeSummary(doctor, { visitId: visit1 });
    expect(first).toMatchObject({ status: 'draft', generator: 'wardline-records-v1' });
    expect(first.body).toMatch(/^Draft assembled by Wardline .*deterministic; no language model/);
    for (const heading of [
      'Reason for admission',
      'Medication to continue',
      'Last vital signs and trends',
      'Results pending',
      'Follow-up',
    ])
      expect(first.body).toContain(heading);
    expect(first.body).toContain('C-reactive protein');
    // Opening the discharge again gives the same open draft, not a second one.
    expect(draftDischargeSummary(doctor, { visitId: visit1 }).id).toBe(first.id);

    const reviewed = reviseDischargeSummary(doctor, { draftId: first.id, body: NOT_APPROVED });
    expect(reviewed.status).toBe('reviewed');
    expect(reviewed.reviewedAt).not.toBeNull();
    expect(await ward.sync()).toMatchObject({ ok: true });
    expect(await query('select status, body from ai_drafts where id = $1', [first.id])).toEqual([
      { status: 'reviewed', body: NOT_APPROVED },
    ]);
    expect(await query('select 1 from emr_global where visit_id = $1', [visit1])).toEqual([]);
    const draftPage = await pdfText(printDischargeSummary(doctor, { visitId: visit1 }).html);
    expect(draftPage).toContain('NOT APPROVED');

    rejectDischargeSummary(doctor, { draftId: first.id });
    const second = draftDischargeSummary(doctor, { visitId: visit1 });
    expect(second.id).not.toBe(first.id);
    dischargePatient(doctor, { visitId: visit1, summaryDraftId: second.id, summary: APPROVED });
    expect(await ward.sync()).toMatchObject({ ok: true });

    const [promoted] = await query('select record from emr_global where visit_id = $1', [visit1]);
    const record = JSON.stringify(promoted?.record);
    expect(record).toContain(APPROVED);
    expect(record).not.toContain(NOT_APPROVED);
    expect(record).not.toContain('Draft assembled by Wardline');
    expect(
      await query("select body from emr_local where visit_id = $1 and kind = 'discharge_summary'", [
        visit1,
      ]),
    ).toEqual([{ body: { 'Discharge summary': APPROVED } }]);
    expect(
      await query('select status from ai_drafts where visit_id = $1 order by created_at', [visit1]),
    ).toEqual([{ status: 'rejected' }, { status: 'approved' }]);

    const printed = await pdfText(printDischargeSummary(doctor, { visitId: visit1 }).html);
    expect(printed).toContain('Discharge summary');
    expect(printed).toMatch(/Approved by/);
    expect(printed).toContain('GP review in one week');
    expect(printed).not.toContain('NOT APPROVED');
  });

  it('cannot discharge on a rejected draft', () => {
    const doctor = ward.as('doctor@hass.example');
    const visit2 = stableId('visit', 'NGH/2');
    const draft = draftDischargeSummary(doctor, { visitId: visit2 });
    rejectDischargeSummary(doctor, { draftId: draft.id });
    expect(() =>
      dischargePatient(doctor, { visitId: visit2, summaryDraftId: draft.id, summary: 'Home.' }),
    ).toThrow(/already rejected/);
  });
});

/**
 * Attachments through the screens (issue 17), in Chromium, on two workstations synced with the
 * real central server: a nurse on ward A, cut off from the network, attaches a PDF lab report and
 * a JPEG photo; a text file named .pdf and a file over 20 MB are refused with their sentence and
 * add nothing. Ward A comes back and sends them; on ward B a doctor opens them in the chart: the
 * PDF viewer draws the report's pages (its words are in pdf.js's text layer, the canvas is
 * painted, page 1 of 2, the arrow key turns the page) and the image is shown.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attachmentFiles, attachments } from '../../db/local/schema';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPE_REFUSAL } from '../../shared/attachment-types';
import { startSyncedHarness, type SyncedHarness } from '../harness/synced-harness';
import { startCentralServer, type CentralServer } from '../support/central-server';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { launchBrowser, screenshot, signIn, type E2eBrowser } from './support/browser';
import { buildRenderer } from './support/renderer-build';

interface Ward {
  proxy: FaultProxy;
  harness: SyncedHarness;
  dataDir: string;
  page: Page;
}

let server: CentralServer;
let browser: E2eBrowser;
let wardA: Ward;
let wardB: Ward;
/** The lab report: two pages, a word on each that the test looks for on screen. */
let reportPdf: Buffer;
let woundJpeg: Buffer;

async function openWard(name: string, staticDir: string, seed: number): Promise<Ward> {
  const proxy = await startFaultProxy(server.url, { seed });
  const dataDir = mkdtempSync(join(tmpdir(), 'wardline-e2e-attachments-'));
  const harness = await startSyncedHarness({
    dataDir,
    serverUrl: proxy.url,
    enrollmentCode: () => server.enrollmentCode(),
    deviceName: name,
    staticDir,
    intervalMs: 1_000,
  });
  const page = await browser.newPage(harness.url);
  return { proxy, harness, dataDir, page };
}

async function closeWard(ward: Ward | undefined): Promise<void> {
  if (!ward) return;
  await ward.harness.engine.stop();
  await ward.harness.close();
  await ward.proxy.close();
  rmSync(ward.dataDir, { recursive: true, force: true });
}

/** The report and the photo, made by Chromium itself (its PDF printer and its JPEG encoder). */
async function makeFiles(): Promise<void> {
  const maker = await browser.context.newPage();
  await maker.setContent(`
    <h1>Complete blood count</h1>
    <p>Haemoglobin 131 g/L. Platelets 250.</p>
    <h2 style="break-before: page">Comment</h2>
    <p>Leukocytosis resolving.</p>`);
  reportPdf = await maker.pdf({ format: 'A4' });
  await maker.setContent(
    '<div style="width:320px;height:200px;background:linear-gradient(90deg,#c33,#fc9)"></div>',
  );
  woundJpeg = await maker.screenshot({
    type: 'jpeg',
    clip: { x: 0, y: 0, width: 320, height: 200 },
  });
  await maker.close();
}

beforeAll(async () => {
  const staticDir = await buildRenderer();
  server = await startCentralServer();
  browser = await launchBrowser();
  wardA = await openWard('Ward A workstation', staticDir, 171);
  wardB = await openWard('Ward B workstation', staticDir, 172);
  await makeFiles();
});

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return;
  const name = context.task.name.replace(/\W+/g, '-');
  await screenshot(wardA.page, `failed-${name}-ward-a`);
  await screenshot(wardB.page, `failed-${name}-ward-b`);
});

afterAll(async () => {
  await browser.close();
  await closeWard(wardA);
  await closeWard(wardB);
  await server.close();
});

async function openAttachments(page: Page): Promise<void> {
  await page.getByTestId('bed-A-01').getByRole('button').click();
  await page.getByTestId('chart-patient').waitFor();
  await page.getByRole('tab', { name: 'Attachments' }).click();
}

async function chooseTarget(page: Page, target: RegExp): Promise<void> {
  await page.getByRole('combobox', { name: 'Attach to' }).click();
  await page.getByRole('option', { name: target }).click();
}

async function chooseFile(page: Page, name: string, mimeType: string, buffer: Buffer) {
  await page.locator('input[type="file"]').setInputFiles({ name, mimeType, buffer });
}

const attachedRows = (ward: Ward) => ward.harness.workstation.db.select().from(attachments).all();

describe('attachments made offline on one ward open on another', () => {
  it('a nurse offline attaches a PDF report and a photo; wrong or oversized files add nothing', async () => {
    const { page } = wardA;
    await signIn(page, 'nurse@hass.example', 'nurse123');
    await openAttachments(page);
    wardA.proxy.setDown(true);
    await page.getByTestId('offline-banner').waitFor();
    const form = page.getByText('Report or image (PDF, JPEG, PNG; at most 20 MB)');
    await form.waitFor();

    // Named .pdf, but plain text: the main process reads its first bytes and refuses it.
    await chooseTarget(page, /Lab: Complete blood count/);
    await chooseFile(page, 'results.pdf', 'application/pdf', Buffer.from('Hb 131 g/L\n'));
    await page.getByRole('button', { name: 'Attach', exact: true }).click();
    await page.getByText(ATTACHMENT_TYPE_REFUSAL).waitFor();
    // Over 20 MB: refused before it is even read, with its size.
    // (From a file on disk: Chromium reads it itself rather than over the DevTools pipe.)
    const oversized = join(wardA.dataDir, 'scan.pdf');
    writeFileSync(
      oversized,
      Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(ATTACHMENT_MAX_BYTES)]),
    );
    await page.locator('input[type="file"]').setInputFiles(oversized);
    await page.getByText(/This file is 20\.0 MB; attachments can be at most 20\.0 MB/).waitFor();
    await expect(
      page.getByRole('button', { name: 'Attach', exact: true }).isDisabled(),
    ).resolves.toBe(true);
    await page.getByText('No attachments on this stay.').waitFor();
    expect(attachedRows(wardA)).toHaveLength(0);
    expect(wardA.harness.workstation.db.select().from(attachmentFiles).all()).toHaveLength(0);

    await chooseFile(page, 'cbc-report.pdf', 'application/pdf', reportPdf);
    await page.getByRole('button', { name: 'Attach', exact: true }).click();
    const table = page.getByTestId('attachments-table');
    await table.getByText('cbc-report.pdf').waitFor();
    await chooseTarget(page, /^EMR visit record of/);
    await chooseFile(page, 'wound.jpg', 'image/jpeg', woundJpeg);
    await page.getByRole('button', { name: 'Attach', exact: true }).click();
    await table.getByText('wound.jpg').waitFor();
    expect(
      attachedRows(wardA)
        .map((row) => row.mediaType)
        .sort(),
    ).toEqual(['application/pdf', 'image/jpeg']);
    await screenshot(page, 'attachments-01-attached-offline');
  }, 60_000);

  it('ward A comes back and sends the files with their rows', async () => {
    const { page } = wardA;
    wardA.proxy.setDown(false);
    await page.getByTestId('sync-state').filter({ hasText: 'Online' }).waitFor();
    await page.getByTestId('sync-pending').and(page.locator('[data-count="0"]')).waitFor();
    const waiting = () =>
      wardA.harness.workstation.db
        .select()
        .from(attachmentFiles)
        .where(eq(attachmentFiles.state, 'to_upload'))
        .all().length;
    await expect.poll(waiting, { timeout: 30_000, interval: 250 }).toBe(0);
  }, 60_000);

  it('on ward B a doctor reads the report in the PDF viewer and sees the photo', async () => {
    const { page } = wardB;
    await expect.poll(() => attachedRows(wardB).length, { timeout: 30_000, interval: 250 }).toBe(2);
    await signIn(page, 'doctor@hass.example', 'doctor123');
    await openAttachments(page);
    const table = page.getByTestId('attachments-table');
    await table
      .getByRole('row', { name: /cbc-report\.pdf/ })
      .getByRole('button', { name: 'Open' })
      .click();

    const viewer = page.getByRole('dialog', { name: 'cbc-report.pdf' });
    await viewer.getByText('Page 1 of 2').waitFor();
    const text = viewer.getByTestId('pdf-text');
    await text.getByText(/Haemoglobin/).waitFor();
    // The page is painted, not only its text laid out: the canvas holds dark (ink) pixels.
    const inked = () =>
      viewer.getByTestId('pdf-canvas').evaluate((canvas: HTMLCanvasElement) => {
        const context = canvas.getContext('2d');
        if (!context || canvas.width === 0) return 0;
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        let dark = 0;
        for (let i = 0; i < data.length; i += 4)
          if ((data[i] ?? 255) < 128 && (data[i + 3] ?? 0) > 0) dark += 1;
        return dark;
      });
    await expect.poll(inked, { timeout: 10_000, interval: 200 }).toBeGreaterThan(100);
    await screenshot(page, 'attachments-02-pdf-viewer');

    // At the keyboard: the right arrow turns to page 2, Escape closes.
    // The page area has the focus as the dialog opens, so the key needs no click first.
    await page.keyboard.press('ArrowRight');
    await viewer.getByText('Page 2 of 2').waitFor();
    await text.getByText(/Leukocytosis/).waitFor();
    await viewer.getByRole('button', { name: 'Fit width' }).waitFor();
    await expect(viewer.getByText('Save a copy').count()).resolves.toBe(1);
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'hidden' });

    await table
      .getByRole('row', { name: /wound\.jpg/ })
      .getByRole('button', { name: 'Open' })
      .click();
    const photo = page.getByRole('dialog', { name: 'wound.jpg' }).getByRole('img', {
      name: 'wound.jpg',
    });
    await photo.waitFor();
    await expect
      .poll(() => photo.evaluate((image: HTMLImageElement) => image.naturalWidth))
      .toBe(320);
    await screenshot(page, 'attachments-03-image');
  }, 90_000);
});

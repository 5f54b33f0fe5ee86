/**
 * Printing as the tests see it: the HTML a print procedure answers, printed to PDF by the
 * machine's Chromium (`page.pdf()`, the engine of Electron's `printToPDF`), read back as text by
 * `pdftotext` (poppler-utils), and barcodes read back from the rendered page by zxing-wasm.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { locateBrowser, NO_BROWSER, NO_PDFTOTEXT } from '../../scripts/find-browser';

function pdftotextPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v pdftotext'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(NO_PDFTOTEXT);
  }
}

export async function launchPrinter(): Promise<Browser> {
  const found = locateBrowser({ env: process.env, platform: process.platform, mayInstall: false });
  if (found.kind !== 'found')
    throw new Error(found.kind === 'missing' ? found.sentence : NO_BROWSER);
  return chromium.launch({
    executablePath: found.path,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface PrintedPdf {
  pdf: Buffer;
  /** The text of each page, in order. */
  pages: string[];
  text: string;
}

/** Renders `html` in `page` and prints it to an A4 PDF, then reads the PDF back page by page. */
export async function printToPdfText(page: Page, html: string): Promise<PrintedPdf> {
  await page.setContent(html, { waitUntil: 'load' });
  const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  return readPdfText(pdf);
}

export function readPdfText(pdf: Buffer): PrintedPdf {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-pdf-'));
  try {
    const file = join(dir, 'printed.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync(pdftotextPath(), ['-layout', file, '-'], { encoding: 'utf8' });
    // pdftotext ends each page with a form feed.
    const pages = text.split('\f').filter((pageText) => pageText.trim() !== '');
    return { pdf, pages, text };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let zxingReady = false;

/** The texts of the Code 128 barcodes zxing finds in a PNG (a screenshot of the printed page). */
export async function readCode128(png: Buffer): Promise<string[]> {
  if (!zxingReady) {
    // The decoder's WebAssembly comes from node_modules, never from its default CDN.
    const wasm = readFileSync(
      createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'),
    );
    await prepareZXingModule({
      overrides: {
        wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength),
      },
      fireImmediately: true,
    });
    zxingReady = true;
  }
  const found = await readBarcodes(new Uint8Array(png), { formats: ['Code128'] });
  return found.map((barcode) => barcode.text);
}

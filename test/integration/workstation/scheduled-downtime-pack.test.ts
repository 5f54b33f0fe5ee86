/**
 * The hourly downtime pack: the machine config's `downtimePack` (zod-checked) names a folder, and
 * each ward's pack lands there as a PDF, printed by Chromium (the engine of Electron's
 * printToPDF), that reads back as the ward's census.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MachineConfigError, readMachineConfig } from '../../../main/config';
import { writeDowntimePacks } from '../../../main/downtime/scheduled-pack';
import { launchPrinter, readPdfText } from '../../support/printed-pdf';
import { createTestWorkstation, START } from './support';

let browser: Browser;
let dir: string;
beforeAll(async () => {
  browser = await launchPrinter();
  dir = mkdtempSync(join(tmpdir(), 'wardline-downtime-'));
});
afterAll(async () => {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the scheduled downtime pack', () => {
  it('is read from the machine config, and a folder that is not text is refused in one sentence', () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ downtimePack: { folder: join(dir, 'packs') } }));
    expect(readMachineConfig(file).downtimePack).toEqual({
      folder: join(dir, 'packs'),
      everyMinutes: 60,
      wardIds: null,
    });
    writeFileSync(file, JSON.stringify({ downtimePack: { folder: 42, everyMinutes: 1 } }));
    expect(() => readMachineConfig(file)).toThrow(MachineConfigError);
    writeFileSync(file, '{}');
    expect(readMachineConfig(file).downtimePack).toBeNull();
  });

  it('writes each ward’s pack as a PDF that reads back with its patients and the last sync', async () => {
    const ws = createTestWorkstation();
    try {
      const folder = join(dir, 'packs');
      const page = await browser.newPage();
      const written = await writeDowntimePacks({
        db: ws.replica.db,
        schedule: { folder, everyMinutes: 60, wardIds: null },
        now: START,
        renderPdf: async (html) => {
          await page.setContent(html);
          return page.pdf({ format: 'A4', preferCSSPageSize: true });
        },
      });
      expect(written.length).toBeGreaterThan(1);
      expect(readdirSync(folder).sort()).toEqual(
        written.map((file) => file.slice(folder.length + 1)).sort(),
      );
      const medA = readPdfText(readFileSync(join(folder, 'downtime-MED-A.pdf')));
      expect(medA.text).toContain('KOWALSKI, Tomasz');
      expect(medA.text).toContain('NGH-000002');
      for (const pageText of medA.pages) expect(pageText).toContain('Never synced');
    } finally {
      ws.close();
    }
  });
});

/**
 * Issue 15: when a shared workstation locks, the patient data it showed leaves the renderer's
 * memory, not just the screen. A canary value only one patient's record holds reaches the
 * renderer with the chart; after the lock, a heap snapshot of the page (taken after a garbage
 * collection) must not hold it anywhere.
 */
import { writeFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { patients } from '../../db/local/schema';
import { DEMO_HOSPITAL_ID, demoUserId } from '../../db/seed/demo-data';
import { writeClinical } from '../../main/services/write-path';
import { signIn } from './support/browser';
import { openScenario, screenshotFailure, type E2eScenario } from './support/scenario';
import { clockAtDrugRound } from './support/workstation';

const CANARY = 'Canary-Address-5e1f9c 17 Nowhere Lane';

let scenario: E2eScenario;
let page: Page;
let cdp: CDPSession;

/** Every string the page's JavaScript heap still holds, after a full garbage collection. */
async function heapHolds(text: string): Promise<boolean> {
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const chunks: string[] = [];
  const collect = (event: { chunk: string }) => {
    chunks.push(event.chunk);
  };
  cdp.on('HeapProfiler.addHeapSnapshotChunk', collect);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', collect);
  const snapshot = chunks.join('');
  // WARDLINE_HEAP_SNAPSHOT=file keeps the snapshot, to find what retains a value (DevTools).
  const keep = process.env.WARDLINE_HEAP_SNAPSHOT;
  if (keep) writeFileSync(keep, snapshot);
  return snapshot.includes(text);
}

beforeAll(async () => {
  scenario = await openScenario({ clock: clockAtDrugRound(40) });
  ({ page } = scenario);
  cdp = await page.context().newCDPSession(page);
  // The canary lives only in Margaret Hughes's address, which the chart carries but never shows.
  const workstation = scenario.workstation.harness.workstation;
  const hughes = workstation.db
    .select({ id: patients.id })
    .from(patients)
    .where(eq(patients.mrn, 'NGH-000001'))
    .get();
  if (!hughes) throw new Error('the demo has no Margaret Hughes');
  writeClinical(
    {
      db: workstation.db,
      clock: workstation.clock,
      actor: {
        userId: demoUserId('reception@hass.example'),
        hospitalId: DEMO_HOSPITAL_ID,
        signer: null,
      },
    },
    (batch) => batch.update(patients, hughes.id, { address: CANARY }),
  );
});

afterEach(screenshotFailure(() => page));

afterAll(() => scenario.close());

describe('locking a shared workstation', () => {
  it('drops the patient data it held from the renderer memory', async () => {
    await signIn(page, 'nurse@hass.example', 'nurse123');
    await page.getByTestId('bed-A-01').getByRole('button').click();
    await page.getByTestId('chart-patient').waitFor();
    // The chart's answer is in memory while the chart is open: the check can see it.
    expect(await heapHolds(CANARY)).toBe(true);

    await page.keyboard.press('Alt+L');
    await page.getByRole('heading', { name: 'Workstation locked' }).waitFor();
    expect(await heapHolds(CANARY)).toBe(false);
  });
});

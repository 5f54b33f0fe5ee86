/**
 * The hourly downtime pack (issue 17): when the machine config names a folder (the hospital's
 * downtime PC, or a share it reads), each ward's pack is written there as PDF on a schedule, so
 * the latest paper is ready before anyone knows the screens will go dark. Plain Node: the PDF
 * printer is handed in (Electron's printToPDF in main/app/print-to-pdf.ts; Chromium in tests).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { IdSchema } from '../../shared/schemas/common';
import { renderDowntimePackHtml } from '../../shared/print/downtime-pack';
import { localUtcOffsetMinutes } from '../../shared/print/print-html';
import { gatherDowntimePack } from '../services/downtime-pack';
import type { ReplicaReader } from '../services/replica-reader';
import { listWards } from '../services/ward-board';
import { readSyncState } from '../sync/sync-state';

export const DowntimePackScheduleSchema = z.object({
  /** Where the PDFs go; one file per ward, replaced at each run. */
  folder: z.string().trim().min(1).max(4096),
  everyMinutes: z.number().int().min(5).max(1440).default(60),
  /** Only these wards; absent, every ward of the hospital. */
  wardIds: z.array(IdSchema).min(1).nullable().default(null),
});
export type DowntimePackSchedule = z.infer<typeof DowntimePackScheduleSchema>;

export type RenderPdf = (html: string) => Promise<Uint8Array>;

/** `downtime-MED-A.pdf`: a ward code is capital letters, digits and dashes already. */
export const packFileName = (wardCode: string) =>
  `downtime-${wardCode.replace(/[^A-Za-z0-9-]/g, '_')}.pdf`;

/**
 * Writes each ward's pack; answers the files written. A file is written beside its final name
 * and renamed over it, so the folder never holds half a pack (a reader opening it mid-write
 * still gets the previous hour's).
 */
export async function writeDowntimePacks(options: {
  db: ReplicaReader;
  schedule: DowntimePackSchedule;
  now: Date;
  renderPdf: RenderPdf;
}): Promise<string[]> {
  const { db, schedule, now } = options;
  const hospitalId = readSyncState(db).hospitalId;
  if (!hospitalId) return [];
  mkdirSync(schedule.folder, { recursive: true });
  const wards = listWards(db, hospitalId).filter(
    (ward) => schedule.wardIds === null || schedule.wardIds.includes(ward.id),
  );
  const written: string[] = [];
  for (const ward of wards) {
    const pack = gatherDowntimePack(db, {
      wardId: ward.id,
      now,
      utcOffsetMinutes: localUtcOffsetMinutes(now),
    });
    const pdf = await options.renderPdf(renderDowntimePackHtml(pack));
    const file = join(schedule.folder, packFileName(ward.code));
    writeFileSync(`${file}.partial`, pdf);
    renameSync(`${file}.partial`, file);
    written.push(file);
  }
  return written;
}

/**
 * Runs `write` now and every `everyMinutes`; a run still going when the next is due is not
 * doubled. A failed run is reported and the next one tries again. Answers a stop function.
 */
export function scheduleDowntimePacks(options: {
  everyMinutes: number;
  write: () => Promise<unknown>;
  onError: (error: unknown) => void;
}): () => void {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    options
      .write()
      .catch(options.onError)
      .finally(() => {
        running = false;
      });
  };
  run();
  const timer = setInterval(run, options.everyMinutes * 60_000);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}

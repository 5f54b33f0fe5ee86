/**
 * Issue 17, done when: an attachment made offline on one workstation opens on another after both
 * synced, survives a cut connection mid-upload, and is stored once on the server when attached
 * twice. A refused or oversized file says why and changes nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { attachmentFiles, attachments, outbox } from '../../../db/local/schema';
import { WardError } from '../../../main/errors';
import { attachFile } from '../../../main/services/attachments';
import { orderLabTest } from '../../../main/services/lab-tests';
import { openAttachment } from '../../../main/sync/attachment-fetch';
import { uploadAttachments } from '../../../main/sync/attachment-upload';
import { pushOutbox } from '../../../main/sync/push';
import { createSyncTransport } from '../../../main/sync/transport';
import { STORED_PART_BYTES } from '../../../server/attachments/blob-store';
import { ATTACHMENT_STEP_BYTES, ATTACHMENT_MAX_BYTES } from '../../../shared/attachment-types';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { stableId } from '../../../shared/reference-data';
import { attachReport, reportPdf } from '../../support/attachments';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

const visit1 = stableId('visit', 'NGH/1');
const DOCTOR = 'doctor@hass.example';
const NURSE = 'nurse@hass.example';

// The server keeps the files in its attachments folder (serve's default) or in PostgreSQL
// (`serve --attachments-in-database`): every promise holds for both.
describe.each(['folder', 'database'] as const)(
  'attachments between workstations, files kept in the %s',
  (store) => {
    let server: CentralServer;
    let proxy: FaultProxy;
    let ward: TestWorkstation;
    let desk: TestWorkstation;
    const puts: { count: number; cutAfterBytes: number | null } = { count: 0, cutAfterBytes: null };

    beforeAll(async () => {
      server = await startCentralServer({ attachments: store });
      proxy = await startFaultProxy(server.url, { seed: 17 });
      // Counts the uploads sent; once armed, the next one is cut that many bytes into it.
      const countingFetch: typeof fetch = async (input, init) => {
        if (init?.method === 'PUT') {
          puts.count += 1;
          proxy.cutRequestAfterBytes = puts.cutAfterBytes;
          puts.cutAfterBytes = null;
        }
        return fetch(input, init);
      };
      ward = await enrolledWorkstation('att-ward', proxy.url, await server.enrollmentCode(), {
        fetch: countingFetch,
      });
      desk = await enrolledWorkstation('att-desk', server.url, await server.enrollmentCode());
    });
    afterAll(async () => {
      await ward.close();
      await desk.close();
      await proxy.close();
      await server.close();
    });

    const query = async (sql: string, values: unknown[] = []) =>
      (await server.database.db.$client.query<Record<string, unknown>>(sql, values)).rows;

    /** Where the server keeps a file: rows of attachment_blob_chunks, or its folder's file. */
    async function keptBytes(sha256: string) {
      const [chunks] = await query(
        'select count(*)::int as n from attachment_blob_chunks where sha256 = $1',
        [sha256],
      );
      const path = server.attachmentsDir && join(server.attachmentsDir, DEMO_HOSPITAL_ID, sha256);
      const file = path && existsSync(path) ? readFileSync(path) : null;
      // By hash: comparing two 10 MB buffers value by value takes vitest minutes.
      return { chunks: chunks?.n, file: file && createHash('sha256').update(file).digest('hex') };
    }

    it('is attached offline, survives a cut mid-upload, opens elsewhere, and is kept once', async () => {
      const report = reportPdf(ATTACHMENT_STEP_BYTES + 2 * 1024 * 1024);
      // The doctor signed in online here earlier in the shift (their key is registered).
      ward.as(DOCTOR);
      await ward.ready();
      proxy.setDown(true);
      const attached = attachReport(ward, report, {
        code: 'CXR',
        name: 'Chest X-ray',
        fileName: 'chest-xray-report.pdf',
      });
      expect(attached).toMatchObject({ mediaType: 'application/pdf', byteSize: report.length });
      // Kept inside the encrypted replica: none of 64 short stretches of the report (short, so
      // that in a plain file most would lie within one page) is in the files on disk.
      const stretches = Array.from({ length: 64 }, (_, i) =>
        report.subarray(10_007 * (i + 1), 10_007 * (i + 1) + 16),
      );
      for (const file of ['replica.db', 'replica.db-wal'].map((name) => join(ward.dir, name))) {
        const onDisk = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
        expect(stretches.filter((stretch) => onDisk.includes(stretch)).length, file).toBe(0);
      }
      expect((await ward.sync()).ok).toBe(false);

      // Back online; the connection is cut two mebibytes into the file's second step: the server
      // keeps the first step whole and none of the second.
      proxy.setDown(false);
      puts.cutAfterBytes = ATTACHMENT_STEP_BYTES + 2 * 1024 * 1024;
      const cut = await ward.sync();
      expect(cut.error).toMatch(/did not answer/);
      expect(puts.count).toBe(1);
      expect(proxy.stats.cutRequests).toBe(1);
      // The server goes on storing what arrived after the workstation saw the cut.
      await vi.waitFor(async () => {
        expect(
          await query('select received_bytes, complete from attachment_blobs where sha256 = $1', [
            attached.sha256,
          ]),
        ).toEqual([{ received_bytes: ATTACHMENT_STEP_BYTES, complete: false }]);
      }, 10_000);
      expect(await query('select 1 from attachment_uploads')).toEqual([]);

      // The network heals: the upload goes on from where the server stands, one step left.
      puts.count = 0;
      expect((await ward.sync()).ok).toBe(true);
      expect(puts.count).toBe(1);
      expect(
        await query('select complete from attachment_blobs where sha256 = $1', [attached.sha256]),
      ).toEqual([{ complete: true }]);
      expect(ward.db.select({ state: attachmentFiles.state }).from(attachmentFiles).all()).toEqual([
        { state: 'uploaded' },
      ]);

      // The other workstation learns of it by sync, and fetches the file when it is first opened.
      expect((await desk.sync()).ok).toBe(true);
      const nurse = { ...desk.as(NURSE), db: desk.db };
      await desk.ready();
      const opened = await openAttachment(nurse, desk.engine.transport(), {
        attachmentId: attached.id,
      });
      expect(opened).toMatchObject({ source: 'server', fileName: 'chest-xray-report.pdf' });
      expect(Buffer.from(opened.contentBase64, 'base64').equals(report)).toBe(true);
      const again = await openAttachment(nurse, desk.engine.transport(), {
        attachmentId: attached.id,
      });
      expect(again.source).toBe('this_workstation');
      expect(
        await query(
          "select outcome from signed_reads where action = 'attachment.read' and user_id = $1",
          [nurse.actor.userId],
        ),
      ).toEqual([{ outcome: 'answered' }]);

      // The same report attached again, on the other workstation: a second record, one file.
      const second = attachFile(
        { ...desk.as(DOCTOR), db: desk.db },
        {
          labTestId: attached.labTestId,
          fileName: 'same-report-again.pdf',
          contentBase64: report.toString('base64'),
        },
      );
      await desk.ready();
      expect((await desk.sync()).ok).toBe(true);
      expect(second.sha256).toBe(attached.sha256);
      expect(
        await query('select count(*)::int as n from attachments where sha256 = $1', [
          attached.sha256,
        ]),
      ).toEqual([{ n: 2 }]);
      expect(await query('select count(*)::int as n from attachment_blobs')).toEqual([{ n: 1 }]);
      expect(await keptBytes(attached.sha256)).toEqual(
        store === 'folder'
          ? { chunks: 0, file: attached.sha256 }
          : { chunks: Math.ceil(report.length / STORED_PART_BYTES), file: null },
      );
      // Received whole once, recorded once: by the device that sent it, not the one that found it.
      expect(
        await query(
          `select u.hospital_id = d.hospital_id as own_hospital, d.name, u.byte_size
           from attachment_uploads u join devices d on d.id = u.device_id where u.sha256 = $1`,
          [attached.sha256],
        ),
      ).toEqual([{ own_hospital: true, name: 'att-ward', byte_size: report.length }]);
      await expect(query('delete from attachment_uploads')).rejects.toThrow(/append-only/);
    });

    it('refuses a file that is not PDF, JPEG or PNG, or is over 20 MB, and changes nothing', () => {
      const doctor = { ...ward.as(DOCTOR), db: ward.db };
      const test = orderLabTest(doctor, {
        visitId: visit1,
        testCode: 'FBC',
        testName: 'Blood count',
      });
      const before = {
        attachments: ward.db.select().from(attachments).all().length,
        files: ward.db.select().from(attachmentFiles).all().length,
        outbox: ward.db.select().from(outbox).all().length,
      };
      const refusal = (contentBase64: string, fileName: string) => {
        try {
          attachFile(doctor, { labTestId: test.id, fileName, contentBase64 });
        } catch (error) {
          return error;
        }
        return null;
      };
      const program = refusal(Buffer.from('MZ\x90\x00 not a scan').toString('base64'), 'scan.pdf');
      expect(program).toBeInstanceOf(WardError);
      expect(program).toMatchObject({ code: 'attachment_type_refused' });
      expect((program as WardError).message).toMatch(/Only PDF, JPEG and PNG/);
      const huge = refusal(reportPdf(ATTACHMENT_MAX_BYTES + 1).toString('base64'), 'huge.pdf');
      expect(huge).toMatchObject({ code: 'attachment_too_large' });
      expect((huge as WardError).message).toMatch(/at most 20\.0 MB/);
      expect({
        attachments: ward.db.select().from(attachments).all().length,
        files: ward.db.select().from(attachmentFiles).all().length,
        outbox: ward.db.select().from(outbox).all().length,
      }).toEqual(before);
    });

    it('stores no file that no attachment of the hospital names', async () => {
      const stray = reportPdf(64 * 1024);
      const sha256 = createHash('sha256').update(stray).digest('hex');
      const transport = createSyncTransport({
        baseUrl: server.url,
        deviceToken: () => desk.tokens.read(),
      });
      await expect(
        transport.uploadAttachmentPiece(
          sha256,
          { offset: 0, size: stray.length, type: 'application/pdf' },
          new Uint8Array(stray),
        ),
      ).rejects.toMatchObject({ kind: 'not_found' });
      expect(await query('select 1 from attachment_blobs where sha256 = $1', [sha256])).toEqual([]);
    });
    it('is sent whole by one of two workstations uploading it at the same moment', async () => {
      // The same report attached on both, its rows pushed, then both send it at once: the server
      // takes each step from whichever comes first and answers the other where it stands, often
      // before that one has finished sending its request.
      const report = reportPdf(2 * ATTACHMENT_STEP_BYTES + 3 * 1024 * 1024);
      const attachHere = async (station: TestWorkstation) => {
        const attached = attachReport(station, report, {
          code: 'CT',
          name: 'CT',
          fileName: 'ct-report.pdf',
        });
        await station.ready();
        const transport = station.engine.transport();
        if (!transport) throw new Error('the workstation is not enrolled');
        await pushOutbox(station.db, transport);
        return { transport, sha256: attached.sha256 };
      };
      const [onWard, onDesk] = [await attachHere(ward), await attachHere(desk)];
      const both = await Promise.all([
        uploadAttachments(ward.db, onWard.transport),
        uploadAttachments(desk.db, onDesk.transport),
      ]);
      expect(both.map((sent) => sent.uploaded)).toEqual([1, 1]);
      for (const station of [ward, desk])
        expect(
          station.db
            .select({ state: attachmentFiles.state, lastError: attachmentFiles.lastError })
            .from(attachmentFiles)
            .where(eq(attachmentFiles.sha256, onWard.sha256))
            .all(),
        ).toEqual([{ state: 'uploaded', lastError: null }]);
      expect(
        await query('select complete, received_bytes from attachment_blobs where sha256 = $1', [
          onWard.sha256,
        ]),
      ).toEqual([{ complete: true, received_bytes: report.length }]);
      const back = await onDesk.transport.downloadAttachment(onWard.sha256, desk.signerOf(NURSE));
      expect(back.equals(report)).toBe(true);
    });

    it('holds no database connection while an upload is still arriving', async () => {
      // A report whose record reached the server, its upload cut at once (as on a dying link).
      const report = reportPdf(ATTACHMENT_STEP_BYTES + 2 * 1024 * 1024);
      const attached = attachReport(ward, report, {
        code: 'US',
        name: 'Ultrasound',
        fileName: 'ultrasound.pdf',
      });
      puts.cutAfterBytes = 1;
      await ward.sync();

      // The rest comes over a slow link: the first step and one part more, then nothing for now.
      const url = new URL(
        `/v1/attachments/${attached.sha256}/upload?offset=0&size=${String(report.length)}&type=application/pdf`,
        server.url,
      );
      const upload = request(url, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${ward.tokens.read() ?? ''}`,
          'content-type': 'application/octet-stream',
          'content-length': String(report.length),
        },
      });
      const answered = new Promise<number>((resolve, reject) => {
        upload.on('response', (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        upload.on('error', reject);
      });
      const sent = ATTACHMENT_STEP_BYTES + 1024 * 1024;
      upload.write(report.subarray(0, sent));
      await vi.waitFor(async () => {
        expect(
          await query('select received_bytes from attachment_blobs where sha256 = $1', [
            attached.sha256,
          ]),
        ).toEqual([{ received_bytes: ATTACHMENT_STEP_BYTES }]);
      }, 10_000);
      // The first step is kept; while the second is on the wire no transaction stands open and
      // the file's row is free: pushes and pulls keep every connection the server has.
      expect(
        await query(
          `select count(*)::int as n from pg_stat_activity
          where datname = current_database() and state like 'idle in transaction%'`,
        ),
      ).toEqual([{ n: 0 }]);
      const client = await server.database.db.$client.connect();
      try {
        await client.query('begin');
        await client.query('select 1 from attachment_blobs where sha256 = $1 for update nowait', [
          attached.sha256,
        ]);
        await client.query('rollback');
      } finally {
        client.release();
      }

      upload.end(report.subarray(sent));
      expect(await answered).toBe(200);
      expect(
        await query('select complete from attachment_blobs where sha256 = $1', [attached.sha256]),
      ).toEqual([{ complete: true }]);
    });
  },
);

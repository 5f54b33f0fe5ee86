/**
 * Attachment files in the server's attachments folder (serve's default): the folder and the
 * database disagree only in ways the store puts right by itself. A file holding more than its
 * row says arrived (a step written whose commit failed) is cut back before the next step; a
 * file holding less (a folder restored from an older backup) is received again from its first
 * byte, without anyone's help; a file kept where this server process cannot reach says so.
 */
import { appendFileSync, readFileSync, truncateSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { pushOutbox } from '../../../main/sync/push';
import { createSyncTransport } from '../../../main/sync/transport';
import { buildServer } from '../../../server/app';
import { ATTACHMENT_STEP_BYTES } from '../../../shared/attachment-types';
import { attachReport, reportPdf } from '../../support/attachments';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

const NURSE = 'nurse@hass.example';
const MiB = 1024 * 1024;

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('attachment files in the server folder', () => {
  let server: CentralServer;
  let ward: TestWorkstation;

  beforeAll(async () => {
    server = await startCentralServer({ attachments: 'folder' });
    ward = await enrolledWorkstation('folder-ward', server.url, await server.enrollmentCode());
  });
  afterAll(async () => {
    await ward.close();
    await server.close();
  });

  const query = async (sql: string, values: unknown[] = []) =>
    (await server.database.db.$client.query<Record<string, unknown>>(sql, values)).rows;
  const fileOf = (sha256: string) => {
    if (!server.attachmentsDir) throw new Error('this server keeps no folder');
    return join(server.attachmentsDir, DEMO_HOSPITAL_ID, sha256);
  };

  /** A report attached and pushed, and its first step sent by hand: the server holds a step. */
  async function halfSent(testCode: string) {
    const report = reportPdf(ATTACHMENT_STEP_BYTES + 3 * MiB);
    const attached = attachReport(ward, report, {
      code: testCode,
      name: testCode,
      fileName: `${testCode}.pdf`,
    });
    await ward.ready();
    const transport = ward.engine.transport();
    if (!transport) throw new Error('the workstation is not enrolled');
    // The row first (the server stores only files a row names); the file's first step by hand.
    await pushOutbox(ward.db, transport);
    const first = await transport.uploadAttachmentPiece(
      attached.sha256,
      { offset: 0, size: report.length, type: 'application/pdf' },
      new Uint8Array(report.subarray(0, ATTACHMENT_STEP_BYTES)),
    );
    expect(first).toMatchObject({ receivedBytes: ATTACHMENT_STEP_BYTES, complete: false });
    return { report, sha256: attached.sha256 };
  }

  it('cuts back bytes past what the database says arrived, then completes the file', async () => {
    const { report, sha256 } = await halfSent('FOLDER-LONG');
    // A step written to the file whose transaction then failed: bytes the row does not count.
    appendFileSync(fileOf(sha256), randomBytes(2 * MiB));
    expect((await ward.sync()).ok).toBe(true);
    expect(
      await query('select complete, stored_in from attachment_blobs where sha256 = $1', [sha256]),
    ).toEqual([{ complete: true, stored_in: 'folder' }]);
    expect(sha256Of(readFileSync(fileOf(sha256)))).toBe(sha256Of(report));
    // Kept in the folder alone: no copy of it in PostgreSQL.
    expect(
      await query('select count(*)::int as n from attachment_blob_chunks where sha256 = $1', [
        sha256,
      ]),
    ).toEqual([{ n: 0 }]);
  });

  it('receives a file again from its first byte when the folder holds less than the row says', async () => {
    const { report, sha256 } = await halfSent('FOLDER-SHORT');
    // The folder came back from an older backup than the database: half a step is gone.
    truncateSync(fileOf(sha256), ATTACHMENT_STEP_BYTES / 2);
    const sync = await ward.sync();
    expect(sync.ok).toBe(true);
    expect(
      await query('select complete, received_bytes from attachment_blobs where sha256 = $1', [
        sha256,
      ]),
    ).toEqual([{ complete: true, received_bytes: report.length }]);
    expect(sha256Of(readFileSync(fileOf(sha256)))).toBe(sha256Of(report));
    const nurse = ward.signerOf(NURSE);
    const transport = ward.engine.transport();
    const back = await transport?.downloadAttachment(sha256, nurse);
    expect(back && sha256Of(back)).toBe(sha256Of(report));
  });

  it('says so, in words for IT, when a process without the folder is asked for its file', async () => {
    const { sha256 } = await halfSent('FOLDER-ELSEWHERE');
    expect((await ward.sync()).ok).toBe(true);
    // A second process on the same database, started with --attachments-in-database.
    const other = await buildServer({ pool: server.database.db.$client, logger: false });
    await other.listen({ host: '127.0.0.1', port: 0 });
    try {
      const transport = createSyncTransport({
        baseUrl: `http://127.0.0.1:${(other.server.address() as AddressInfo).port}`,
        deviceToken: () => ward.tokens.read(),
      });
      const refused = await transport.downloadAttachment(sha256, ward.signerOf(NURSE)).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toMatchObject({ kind: 'server_error' });
      expect(String(refused)).toMatch(/attachments folder this server process was not given/);
    } finally {
      await other.close();
    }
  });
});

/**
 * Attachments through the loopback fault proxy (no faults), issue 17:
 * - upload: a 20 MB PDF attached on a workstation, sent by the sync engine's upload phase in
 *   pieces (read from the encrypted replica, checked, written to the server's attachments folder
 *   and fsynced step by step, its state in PostgreSQL, sha256 checked);
 * - download: the same file read back by a person's signed read;
 * each beside a raw HTTP copy of the same bytes (a bare node:http server that keeps the body in
 * memory, or answers it from memory), through a proxy of its own, so the ratio is Wardline's cost
 * over the same wire (goal ≥ 0.5).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateCentralDatabase } from '../../../db/central/migrate';
import { seedCentralDatabase } from '../../../db/central/seed';
import { attachFile } from '../../../main/services/attachments';
import { orderLabTest } from '../../../main/services/lab-tests';
import { uploadAttachments } from '../../../main/sync/attachment-upload';
import { pushOutbox } from '../../../main/sync/push';
import { buildServer } from '../../../server/app';
import { connectCentralDatabase } from '../../../server/db/connect';
import { startEmbeddedPostgres } from '../../../server/db/embedded-postgres';
import { findFreePort } from '../../../server/db/free-port';
import { createEnrollmentCode } from '../../../server/devices/enrollment';
import { stableId } from '../../../shared/reference-data';
import { startFaultProxy } from '../../support/fault-proxy';
import { enrolledWorkstation } from '../../support/workstation';
import { throughputFigure, type BenchContext, type BenchFigure } from '../figures';

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const MB = 1024 * 1024;
/** Rounds per run, each with a file of its own: one 20 MB copy on a shared machine is noisy. */
const ROUNDS = 5;

interface Round {
  upload: number;
  download: number;
  rawUpload: number;
  rawDownload: number;
}

function median(rounds: Round[], key: keyof Round): number {
  const sorted = rounds.map((round) => round[key]).sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** A bare HTTP server: PUT keeps the body, GET answers it. */
async function rawCopyServer(): Promise<{ server: Server; url: string }> {
  let held = Buffer.alloc(0);
  const server = createServer((request, response) => {
    if (request.method === 'PUT') {
      const pieces: Buffer[] = [];
      request.on('data', (piece: Buffer) => pieces.push(piece));
      request.on('end', () => {
        held = Buffer.concat(pieces);
        response.end('{}');
      });
      return;
    }
    response.setHeader('content-length', String(held.length));
    response.end(held);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export default async function attachmentsBench(ctx: BenchContext): Promise<BenchFigure[]> {
  const bytes = ctx.quick ? 2 * MB : 20 * MB;
  const rate = (secondsTaken: number) => (bytes / MB / secondsTaken).toFixed(1);
  const dir = mkdtempSync(join(tmpdir(), 'wardline-bench-attachments-'));
  const cluster = await startEmbeddedPostgres({ dataDir: dir, port: await findFreePort() });
  const db = connectCentralDatabase(cluster.url, { max: 4 });
  try {
    await migrateCentralDatabase(db);
    await seedCentralDatabase(db, { demo: true });
    // Files in the server's attachments folder, as `serve` keeps them by default.
    const app = await buildServer({
      pool: db.$client,
      logger: false,
      attachmentsDir: join(dir, 'attachments'),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const proxy = await startFaultProxy(url, { seed: 1 });
    const raw = await rawCopyServer();
    const rawProxy = await startFaultProxy(raw.url, { seed: 2 });
    const code = (await createEnrollmentCode(db.$client, { hospitalCode: 'NGH' })).code;
    const ward = await enrolledWorkstation('bench-attachments', proxy.url, code);
    try {
      const doctor = { ...ward.as('doctor@hass.example'), db: ward.db };
      const nurse = ward.signerOf('nurse@hass.example');
      await ward.ready();
      const transport = ward.engine.transport();
      if (!transport) throw new Error('bench workstation is not enrolled');
      const test = orderLabTest(doctor, {
        visitId: stableId('visit', 'NGH/1'),
        testCode: 'CXR',
        testName: 'Chest X-ray',
      });
      const rounds: Round[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        // A new file each round: the server keeps a file once, a second upload would send nothing.
        const file = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(bytes - 9)]);
        const attached = attachFile(doctor, {
          labTestId: test.id,
          fileName: `bench-${round}.pdf`,
          contentBase64: file.toString('base64'),
        });
        // The row first, as the sync run does: the server stores only files a row names.
        await pushOutbox(ward.db, transport);

        let start = process.hrtime.bigint();
        const sent = await uploadAttachments(ward.db, transport);
        const upload = seconds(start);
        if (sent.sentBytes !== file.length)
          throw new Error('the bench file was not uploaded whole');
        start = process.hrtime.bigint();
        const back = await transport.downloadAttachment(attached.sha256, nurse);
        const download = seconds(start);
        if (!back.equals(file)) throw new Error('the bench file came back different');

        start = process.hrtime.bigint();
        await fetch(rawProxy.url, { method: 'PUT', body: new Uint8Array(file) });
        const rawUpload = seconds(start);
        start = process.hrtime.bigint();
        const rawBack = Buffer.from(await (await fetch(rawProxy.url)).arrayBuffer());
        const rawDownload = seconds(start);
        if (!rawBack.equals(file)) throw new Error('the raw copy came back different');
        rounds.push({ upload, download, rawUpload, rawDownload });
        ctx.log(
          `round ${round + 1}: upload ${rate(upload)} MB/s, raw ${rate(rawUpload)} MB/s (${(rawUpload / upload).toFixed(2)}); download ${rate(download)} MB/s, raw ${rate(rawDownload)} MB/s (${(rawDownload / download).toFixed(2)})`,
        );
      }
      const [upload, download] = [median(rounds, 'upload'), median(rounds, 'download')];
      const [rawUpload, rawDownload] = [median(rounds, 'rawUpload'), median(rounds, 'rawDownload')];
      const mb = bytes / MB;
      return [
        throughputFigure({
          figure: 'attachments.upload',
          unit: 'MB/s',
          value: mb / upload,
          baseline: 'raw HTTP PUT of the same bytes through a loopback proxy',
          baselineValue: mb / rawUpload,
          minRatio: 0.5,
          size: bytes,
        }),
        throughputFigure({
          figure: 'attachments.download',
          unit: 'MB/s',
          value: mb / download,
          baseline: 'raw HTTP GET of the same bytes through a loopback proxy',
          baselineValue: mb / rawDownload,
          minRatio: 0.5,
          size: bytes,
        }),
      ];
    } finally {
      await ward.close();
      await proxy.close();
      await rawProxy.close();
      raw.server.close();
      await app.close();
    }
  } finally {
    await db.$client.end();
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

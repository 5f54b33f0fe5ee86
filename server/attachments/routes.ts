/**
 * The attachment endpoints (shared/attachment-endpoints.ts; docs/SYNC.md "Attachments"): pieces
 * in, state out, for an enrolled device; the whole file out for a person's signed read, recorded
 * like every signed read. A device reaches only its own hospital's files.
 */
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import {
  ATTACHMENT_PATHS,
  AttachmentParamsSchema,
  UploadPieceQuerySchema,
} from '../../shared/attachment-endpoints';
import { ATTACHMENT_MAX_BYTES, attachmentTooLarge } from '../../shared/attachment-types';
import { authorizeSignedRead, recordSignedRead } from '../authorship/signed-read';
import { authenticateDevice } from '../http/device-route';
import { ApiError, parseInput } from '../http/errors';
import type { BlobStores } from './blob-bytes';
import { openCompleteBlob, readBlobState, receivePiece } from './blob-store';
import { UploadBody } from './piece-stream';

export function registerAttachmentRoutes(
  app: FastifyInstance,
  pool: pg.Pool,
  stores: BlobStores,
  now: () => Date,
) {
  // Uploads arrive as raw bytes, read as they come (piece-stream.ts) so the route can store each
  // part while the next is on the wire; the length is bounded before a byte is read.
  app.addContentTypeParser('application/octet-stream', (request, body, done) => {
    const length = Number(request.headers['content-length']);
    if (!Number.isInteger(length) || length < 0) {
      done(new ApiError(400, 'invalid_request', 'Send the upload with its length.'));
      return;
    }
    if (length > ATTACHMENT_MAX_BYTES) {
      done(new ApiError(413, 'payload_too_large', attachmentTooLarge(length)));
      return;
    }
    done(null, new UploadBody(body, length));
  });

  app.get(ATTACHMENT_PATHS.upload, async (request) => {
    const device = await authenticateDevice(pool, request);
    const { sha256 } = parseInput(AttachmentParamsSchema, request.params);
    const state = await readBlobState(pool, device.hospitalId, sha256);
    if (!state) throw new ApiError(404, 'not_found', 'The server holds none of this file yet.');
    return state;
  });

  app.put(ATTACHMENT_PATHS.upload, async (request) => {
    const device = await authenticateDevice(pool, request);
    const { sha256 } = parseInput(AttachmentParamsSchema, request.params);
    const query = parseInput(UploadPieceQuerySchema, request.query);
    if (!(request.body instanceof UploadBody))
      throw new ApiError(400, 'invalid_request', 'Send the upload as application/octet-stream.');
    const { length } = request.body;
    const state = await receivePiece(
      pool,
      stores,
      {
        hospitalId: device.hospitalId,
        deviceId: device.id,
        sha256,
        byteSize: query.size,
        mediaType: query.type,
        offset: query.offset,
        length,
        bytes: request.body,
      },
      now(),
    );
    if (state.complete && state.receivedBytes === query.offset + length)
      request.log.info({ deviceId: device.id, bytes: state.byteSize }, 'attachment received');
    return state;
  });

  app.get(ATTACHMENT_PATHS.file, async (request, reply) => {
    const device = await authenticateDevice(pool, request);
    const { sha256 } = parseInput(AttachmentParamsSchema, request.params);
    const at = now();
    const subject = { action: 'attachment.read', entity: 'attachments', entityId: null };
    const { userId } = await authorizeSignedRead(pool, {
      request,
      device,
      permission: 'attachments:read',
      subject,
      now: at,
    });
    const read = { device, userId, subject, now: at };
    const blob = await openCompleteBlob(pool, stores, { hospitalId: device.hospitalId, sha256 });
    if (!blob) {
      await recordSignedRead(pool, { ...read, outcome: 'not_found' });
      throw new ApiError(
        404,
        'not_found',
        'This file has not reached the server yet: the workstation that attached it sends it at its next sync.',
      );
    }
    // Recorded before a byte of it leaves, as every signed read.
    await recordSignedRead(pool, { ...read, outcome: 'answered' });
    // Streamed part by part: the next part is read while the last one is on the wire, and a
    // 20 MB file is never held whole. A read failing midway cuts the reply short of its
    // content-length, which the workstation takes for no answer.
    return reply
      .type(blob.mediaType)
      .header('content-length', String(blob.byteSize))
      .send(await blob.bytes());
  });
}

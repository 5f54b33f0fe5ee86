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
import { ATTACHMENT_CHUNK_BYTES } from '../../shared/attachment-types';
import { authorizeSignedRead, recordSignedRead } from '../authorship/signed-read';
import { authenticateDevice } from '../http/device-route';
import { ApiError, parseInput } from '../http/errors';
import { blobPieces, completeBlob, readBlobState, receivePiece } from './blob-store';

export function registerAttachmentRoutes(app: FastifyInstance, pool: pg.Pool, now: () => Date) {
  // Pieces arrive as raw bytes; the limit is one piece, with room for nothing else.
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: ATTACHMENT_CHUNK_BYTES },
    (_request, body, done) => {
      done(null, body);
    },
  );

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
    if (!Buffer.isBuffer(request.body))
      throw new ApiError(400, 'invalid_request', 'Send the piece as application/octet-stream.');
    const state = await receivePiece(pool, {
      hospitalId: device.hospitalId,
      deviceId: device.id,
      sha256,
      byteSize: query.size,
      mediaType: query.type,
      offset: query.offset,
      bytes: request.body,
    });
    if (state.complete && state.receivedBytes === query.offset + request.body.length)
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
    const blob = await completeBlob(pool, device.hospitalId, sha256);
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
    const pieces: Buffer[] = [];
    for await (const piece of blobPieces(pool, device.hospitalId, sha256)) pieces.push(piece);
    return reply
      .type(blob.mediaType)
      .header('content-length', String(blob.byteSize))
      .send(Buffer.concat(pieces, blob.byteSize));
  });
}

/**
 * Attachment files, once per (hospital, sha256) (docs/SYNC.md "Attachments"): their state in
 * `attachment_blobs`, their bytes in the server's attachments folder or in PostgreSQL
 * (blob-bytes.ts). A
 * file arrives in one or more uploads; one at the offset already received extends it (kept in
 * committed steps as it arrives), any other offset changes nothing and the answer says where to
 * go on (so bytes re-sent after a cut connection are harmless). The last bytes are checked
 * against the sha256 of the whole before the file is served; a file already complete is never
 * sent again, whichever device attaches it.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type pg from 'pg';
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_STEP_BYTES,
  ATTACHMENT_TYPE_REFUSAL,
  attachmentTooLarge,
  detectMediaType,
  type AttachmentMediaType,
} from '../../shared/attachment-types';
import { v7 as uuidv7 } from 'uuid';
import { inTransaction } from '../db/transaction';
import { ApiError } from '../http/errors';
import type { BlobStoreKind } from '../../db/central/schema';
import type { BlobBytes, BlobKey, BlobStores } from './blob-bytes';
import type { UploadBody } from './piece-stream';

export interface BlobState {
  sha256: string;
  byteSize: number;
  receivedBytes: number;
  complete: boolean;
}

interface BlobRow {
  byte_size: number;
  received_bytes: number;
  complete: boolean;
  media_type: string;
  stored_in: BlobStoreKind;
}

/**
 * The sha256 of what arrived so far, per file being received in order by this process: the last
 * piece then completes the hash instead of reading the whole file back. Updated only after the
 * piece committed; a file whose pieces came to another process, or a restart, is hashed whole.
 */
const runningHashes = new Map<string, { hash: Hash; next: number }>();
const MAX_RUNNING_HASHES = 64;

function hashBefore(key: string, offset: number): Hash | null {
  if (offset === 0) return createHash('sha256');
  const running = runningHashes.get(key);
  return running?.next === offset ? running.hash.copy() : null;
}

/**
 * An upload is read and stored in parts of at most this much (rows of `attachment_blob_chunks`
 * hold one each), and a file sent out is read in parts of this size too.
 */
export const STORED_PART_BYTES = 1024 * 1024;

const stateOf = (sha256: string, row: BlobRow): BlobState => ({
  sha256,
  byteSize: row.byte_size,
  receivedBytes: row.received_bytes,
  complete: row.complete,
});

export async function readBlobState(
  pool: pg.Pool,
  hospitalId: string,
  sha256: string,
): Promise<BlobState | null> {
  const { rows } = await pool.query<BlobRow>(
    'select byte_size, received_bytes, complete, media_type, stored_in from attachment_blobs where hospital_id = $1 and sha256 = $2',
    [hospitalId, sha256],
  );
  const [row] = rows;
  return row ? stateOf(sha256, row) : null;
}

/** An upload: the file's bytes from `offset`, up to the rest of it, in one request. */
export interface ReceivedPiece {
  hospitalId: string;
  deviceId: string;
  sha256: string;
  byteSize: number;
  mediaType: AttachmentMediaType;
  offset: number;
  /** The upload's length as its request declared it (content-length). */
  length: number;
  /** Its bytes, as they arrive. */
  bytes: UploadBody;
}

export async function receivePiece(
  pool: pg.Pool,
  stores: BlobStores,
  piece: ReceivedPiece,
  now: Date,
): Promise<BlobState> {
  if (piece.byteSize > ATTACHMENT_MAX_BYTES)
    throw new ApiError(413, 'payload_too_large', attachmentTooLarge(piece.byteSize));
  if (piece.offset + piece.length > piece.byteSize)
    throw new ApiError(
      400,
      'invalid_request',
      'This upload runs past the size the file was declared with.',
    );
  const first = await piece.bytes.next(STORED_PART_BYTES);
  // The first bytes name the file: its content must be what the attachment says it is.
  if (piece.offset === 0 && detectMediaType(first ?? Buffer.alloc(0)) !== piece.mediaType)
    throw new ApiError(400, 'invalid_request', ATTACHMENT_TYPE_REFUSAL);
  const key = `${piece.hospitalId}/${piece.sha256}`;
  const running = hashBefore(key, piece.offset);
  // Each step arrives whole before a database connection is taken, and is stored and committed
  // in a transaction of its own: an upload over a slow link holds no connection (nor its row's
  // lock) while its bytes are on the wire, and a cut connection costs the step it fell in.
  let parts = await nextStep(piece.bytes, first);
  let at = piece.offset;
  for (;;) {
    const step = parts;
    const stored = await inTransaction(pool, (client) =>
      storeStep(client, stores, piece, { at, parts: step, running, now }),
    );
    if ('mismatch' in stored) {
      runningHashes.delete(key);
      throw new ApiError(
        400,
        'invalid_request',
        'The file that arrived does not match its sha256; it was discarded and will be sent again.',
      );
    }
    if ('state' in stored) {
      if (stored.state.complete) runningHashes.delete(key);
      return stored.state;
    }
    at = stored.kept;
    runningHashes.delete(key);
    if (running && runningHashes.size < MAX_RUNNING_HASHES)
      runningHashes.set(key, { hash: running.copy(), next: at });
    parts = await nextStep(piece.bytes);
    if (parts.length === 0)
      return { sha256: piece.sha256, byteSize: piece.byteSize, receivedBytes: at, complete: false };
  }
}

/**
 * The next step of an upload, read whole: stored parts up to ATTACHMENT_STEP_BYTES, fewer at the
 * end of the body, none once it ended. A cut connection throws (UploadBody says why).
 */
async function nextStep(body: UploadBody, first?: Buffer | null): Promise<Buffer[]> {
  const parts: Buffer[] = [];
  let bytes = 0;
  let part = first === undefined ? await body.next(STORED_PART_BYTES) : first;
  while (part) {
    parts.push(part);
    bytes += part.length;
    if (bytes >= ATTACHMENT_STEP_BYTES) break;
    part = await body.next(STORED_PART_BYTES);
  }
  return parts;
}

type StepOutcome = { kept: number } | { state: BlobState } | { mismatch: true };

/**
 * One step of an upload in its transaction: the file must be one an attachment of this hospital
 * names, as that row declares it (the server is not a store for anything a device chooses to
 * send; the rows are pushed before the files); the step is stored only at the offset the server
 * holds (another upload of the same file that moved it wins, and this one stops where it
 * stands); the last step checks the whole against its sha256.
 */
async function storeStep(
  client: pg.PoolClient,
  stores: BlobStores,
  piece: ReceivedPiece,
  step: { at: number; parts: Buffer[]; running: Hash | null; now: Date },
): Promise<StepOutcome> {
  const named = await client.query(
    `select 1 from attachments
      where hospital_id = $1 and sha256 = $2 and media_type = $3 and byte_size = $4
        and deleted_at is null
      limit 1`,
    [piece.hospitalId, piece.sha256, piece.mediaType, piece.byteSize],
  );
  if (named.rowCount === 0)
    throw new ApiError(
      404,
      'not_found',
      'No attachment of this hospital names this file (its record has not reached the server yet?): it was not stored.',
    );
  await client.query(
    `insert into attachment_blobs (hospital_id, sha256, media_type, byte_size, uploaded_by, stored_in)
     values ($1, $2, $3, $4, $5, $6) on conflict do nothing`,
    [
      piece.hospitalId,
      piece.sha256,
      piece.mediaType,
      piece.byteSize,
      piece.deviceId,
      stores.primary.kind,
    ],
  );
  const { rows } = await client.query<BlobRow>(
    `select byte_size, received_bytes, complete, media_type, stored_in from attachment_blobs
      where hospital_id = $1 and sha256 = $2 for update`,
    [piece.hospitalId, piece.sha256],
  );
  const row = rows[0];
  if (!row) throw new Error('attachment_blobs row vanished inside its transaction');
  if (row.byte_size !== piece.byteSize || row.media_type !== piece.mediaType)
    throw new ApiError(
      400,
      'invalid_request',
      'This file was first sent with another size or type.',
    );
  if (row.complete) return { state: stateOf(piece.sha256, row) };
  const key: BlobKey = piece;
  let bytes = stores.byKind(row.stored_in);
  if (!bytes) {
    // Begun in a folder this process was not given: begun again where this process keeps files.
    bytes = stores.primary;
    await restart(client, key, bytes, row);
  }
  if (step.at !== row.received_bytes || step.parts.length === 0)
    return { state: stateOf(piece.sha256, row) };
  if (!(await bytes.append(client, key, step))) {
    // The store holds less than the row says arrived: the file starts again from its first byte.
    await restart(client, key, bytes, row);
    return { state: stateOf(piece.sha256, row) };
  }
  const at = step.at + step.parts.reduce((sum, part) => sum + part.length, 0);
  if (at < row.byte_size) {
    await client.query(
      'update attachment_blobs set received_bytes = $3 where hospital_id = $1 and sha256 = $2',
      [piece.hospitalId, piece.sha256, at],
    );
    return { kept: at };
  }
  const whole = step.running
    ? step.running.copy().digest('hex') === piece.sha256
    : await wholeMatches(client, bytes, key, at);
  if (!whole) {
    // Bytes that do not add up to the file named: start again rather than serve it.
    await restart(client, key, bytes, row);
    return { mismatch: true };
  }
  await client.query(
    `update attachment_blobs set received_bytes = $3, complete = true, completed_at = $4::timestamptz
      where hospital_id = $1 and sha256 = $2`,
    [piece.hospitalId, piece.sha256, at, step.now.toISOString()],
  );
  await recordUpload(client, piece, step.now);
  return {
    state: { sha256: piece.sha256, byteSize: row.byte_size, receivedBytes: at, complete: true },
  };
}

/** Forgets what arrived of a file, which is then received from its first byte into `bytes`. */
async function restart(client: pg.PoolClient, key: BlobKey, bytes: BlobBytes, row: BlobRow) {
  await bytes.clear(client, key);
  await client.query(
    `update attachment_blobs set received_bytes = 0, stored_in = $3
      where hospital_id = $1 and sha256 = $2`,
    [key.hospitalId, key.sha256, bytes.kind],
  );
  row.received_bytes = 0;
  row.stored_in = bytes.kind;
}

/**
 * The server's own record of a file it received whole (issue 17 audit): which hospital, which
 * device sent its last bytes, what (sha256, size) and when. No file name, no patient: the
 * attachment rows say whose file it is, in the workstation's signed audit chain.
 */
async function recordUpload(client: pg.PoolClient, piece: ReceivedPiece, now: Date) {
  await client.query(
    `insert into attachment_uploads (id, at, hospital_id, device_id, sha256, byte_size)
     values ($1, $2, $3, $4, $5, $6)`,
    [uuidv7(), now.toISOString(), piece.hospitalId, piece.deviceId, piece.sha256, piece.byteSize],
  );
}

async function wholeMatches(
  client: pg.PoolClient,
  bytes: BlobBytes,
  key: BlobKey,
  byteSize: number,
): Promise<boolean> {
  const hash = createHash('sha256');
  for await (const part of await bytes.open(client, key, byteSize)) hash.update(part as Buffer);
  return hash.digest('hex') === key.sha256;
}

/**
 * A complete file of this hospital, opened to be sent; null when it has not arrived whole. A
 * file kept in a folder this process was not given cannot be sent by it (docs/SERVER.md).
 */
export async function openCompleteBlob(
  pool: pg.Pool,
  stores: BlobStores,
  key: BlobKey,
): Promise<{ mediaType: string; byteSize: number; bytes: () => Promise<Readable> } | null> {
  const { rows } = await pool.query<{
    media_type: string;
    byte_size: number;
    stored_in: BlobStoreKind;
  }>(
    'select media_type, byte_size, stored_in from attachment_blobs where hospital_id = $1 and sha256 = $2 and complete',
    [key.hospitalId, key.sha256],
  );
  const row = rows[0];
  if (!row) return null;
  const store = stores.byKind(row.stored_in);
  if (!store)
    throw new ApiError(
      500,
      'internal',
      'This file is kept in an attachments folder this server process was not given; tell IT (docs/SERVER.md, Attachments).',
    );
  return {
    mediaType: row.media_type,
    byteSize: row.byte_size,
    bytes: () => store.open(pool, key, row.byte_size),
  };
}

/**
 * Attachment files in PostgreSQL, once per (hospital, sha256) (docs/SYNC.md "Attachments"). A
 * file arrives in one or more uploads; one at the offset already received extends it (kept in
 * committed steps as it arrives), any other offset changes nothing and the answer says where to
 * go on (so bytes re-sent after a cut connection are harmless). The last bytes are checked
 * against the sha256 of the whole before the file is served; a file already complete is never
 * sent again, whichever device attaches it.
 */
import { createHash, type Hash } from 'node:crypto';
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
import { to as copyTo } from 'pg-copy-streams';
import { BinaryCopyFields, CopyFormatError } from './copy-binary';
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
 * Rows of `attachment_blob_chunks` hold at most this much: a piece is stored part by part as it
 * arrives, and read back part by part as the file is sent.
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
    'select byte_size, received_bytes, complete, media_type from attachment_blobs where hospital_id = $1 and sha256 = $2',
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
      storeStep(client, piece, { at, parts: step, running, now }),
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
    `insert into attachment_blobs (hospital_id, sha256, media_type, byte_size, uploaded_by)
     values ($1, $2, $3, $4, $5) on conflict do nothing`,
    [piece.hospitalId, piece.sha256, piece.mediaType, piece.byteSize, piece.deviceId],
  );
  const { rows } = await client.query<BlobRow>(
    `select byte_size, received_bytes, complete, media_type from attachment_blobs
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
  if (row.complete || step.at !== row.received_bytes || step.parts.length === 0)
    return { state: stateOf(piece.sha256, row) };
  let at = step.at;
  for (const part of step.parts) {
    // The part travels as binary (node-pg sends a Buffer parameter as bytes, not hex text);
    // it is hashed while PostgreSQL stores it.
    const stored = client.query(
      `insert into attachment_blob_chunks (hospital_id, sha256, "offset", bytes) values ($1, $2, $3, $4)`,
      [piece.hospitalId, piece.sha256, at, part],
    );
    step.running?.update(part);
    await stored;
    at += part.length;
  }
  if (at < row.byte_size) {
    await client.query(
      'update attachment_blobs set received_bytes = $3 where hospital_id = $1 and sha256 = $2',
      [piece.hospitalId, piece.sha256, at],
    );
    return { kept: at };
  }
  const whole = step.running
    ? step.running.copy().digest('hex') === piece.sha256
    : await wholeMatches(client, piece);
  if (!whole) {
    // Bytes that do not add up to the file named: start again rather than serve it.
    await client.query(
      'delete from attachment_blob_chunks where hospital_id = $1 and sha256 = $2',
      [piece.hospitalId, piece.sha256],
    );
    await client.query(
      'update attachment_blobs set received_bytes = 0 where hospital_id = $1 and sha256 = $2',
      [piece.hospitalId, piece.sha256],
    );
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
  piece: Pick<ReceivedPiece, 'hospitalId' | 'sha256'>,
): Promise<boolean> {
  const hash = createHash('sha256');
  for await (const bytes of blobPieces(client, piece.hospitalId, piece.sha256)) hash.update(bytes);
  return hash.digest('hex') === piece.sha256;
}

/** Parts read per COPY: a connection is held for a few MiB at a time, never for a whole reply. */
const PARTS_PER_READ = 4;

/**
 * A file's stored parts in order, a few per binary COPY (copy-binary.ts says why binary), so a
 * 20 MB file is never one value in memory, PostgreSQL neither encodes it nor sends it twice its
 * size, and a slow reader of a reply holds no database connection while its parts are on the
 * wire (the connection is given back between COPYs). Parts follow each other without a gap, so
 * the next COPY starts where the bytes read so far end.
 */
export async function* blobPieces(
  db: pg.Pool | pg.PoolClient,
  hospitalId: string,
  sha256: string,
): AsyncGenerator<Buffer> {
  let from = 0;
  for (;;) {
    const parts = await readParts(db, hospitalId, sha256, from);
    for (const part of parts) yield part;
    const read = parts.reduce((sum, part) => sum + part.length, 0);
    if (parts.length < PARTS_PER_READ || read === 0) return;
    from += read;
  }
}

async function readParts(
  db: pg.Pool | pg.PoolClient,
  hospitalId: string,
  sha256: string,
  from: number,
): Promise<Buffer[]> {
  if (!Number.isSafeInteger(from)) throw new Error('an attachment offset out of range');
  const client = 'release' in db ? db : await db.connect();
  const own = client !== db;
  // COPY takes no parameters: the texts are quoted by the driver, the offset is an integer.
  const copy = client.query(
    copyTo(
      `copy (select bytes from attachment_blob_chunks
              where hospital_id = ${client.escapeLiteral(hospitalId)}
                and sha256 = ${client.escapeLiteral(sha256)} and "offset" >= ${from}
              order by "offset" limit ${PARTS_PER_READ}) to stdout with (format binary)`,
    ),
  );
  const fields = new BinaryCopyFields();
  const parts: Buffer[] = [];
  let whole = false;
  try {
    for await (const chunk of copy as AsyncIterable<Buffer>) parts.push(...fields.push(chunk));
    if (!fields.ended) throw new CopyFormatError('a binary COPY of attachment parts ended early');
    whole = true;
    return parts;
  } finally {
    if (!whole) copy.destroy();
    // A connection left in the middle of a COPY is closed rather than handed to someone else.
    if (own) client.release(whole ? undefined : true);
  }
}

/** The media type of a complete file of this hospital; null when it has not arrived whole. */
export async function completeBlob(
  pool: pg.Pool,
  hospitalId: string,
  sha256: string,
): Promise<{ mediaType: string; byteSize: number } | null> {
  const { rows } = await pool.query<{ media_type: string; byte_size: number }>(
    'select media_type, byte_size from attachment_blobs where hospital_id = $1 and sha256 = $2 and complete',
    [hospitalId, sha256],
  );
  const row = rows[0];
  return row ? { mediaType: row.media_type, byteSize: row.byte_size } : null;
}

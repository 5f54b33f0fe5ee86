/**
 * Attachment bytes in PostgreSQL: rows of `attachment_blob_chunks` of at most 1 MiB each, written
 * by parameterised inserts (node-pg sends a Buffer parameter as binary) and read back by binary
 * COPY, a few parts at a time (copy-binary.ts says why binary). For a server process given no
 * attachments folder, and for the files such a process received.
 */
import { Readable } from 'node:stream';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { BlobBytes, BlobKey } from './blob-bytes';
import { BinaryCopyFields, CopyFormatError } from './copy-binary';

export const databaseBytes: BlobBytes = {
  kind: 'database',

  async append(client, key, step) {
    let at = step.at;
    for (const part of step.parts) {
      // Hashed while PostgreSQL stores it.
      const stored = client.query(
        `insert into attachment_blob_chunks (hospital_id, sha256, "offset", bytes) values ($1, $2, $3, $4)`,
        [key.hospitalId, key.sha256, at, part],
      );
      step.running?.update(part);
      await stored;
      at += part.length;
    }
    // Rows of a step that never committed were rolled back with it: what is here is complete.
    return true;
  },

  async clear(client, key) {
    await client.query(
      'delete from attachment_blob_chunks where hospital_id = $1 and sha256 = $2',
      [key.hospitalId, key.sha256],
    );
  },

  open(db, key) {
    return Promise.resolve(Readable.from(storedParts(db, key)));
  },
};

/** Parts read per COPY: a connection is held for a few MiB at a time, never for a whole reply. */
const PARTS_PER_READ = 4;

/**
 * A file's stored parts in order, a few per binary COPY, so a 20 MB file is never one value in
 * memory, PostgreSQL neither encodes it nor sends it twice its size, and a slow reader of a
 * reply holds no database connection while its parts are on the wire (the connection is given
 * back between COPYs). Parts follow each other without a gap, so the next COPY starts where the
 * bytes read so far end.
 */
async function* storedParts(db: pg.Pool | pg.PoolClient, key: BlobKey): AsyncGenerator<Buffer> {
  let from = 0;
  for (;;) {
    const parts = await readParts(db, key, from);
    for (const part of parts) yield part;
    const read = parts.reduce((sum, part) => sum + part.length, 0);
    if (parts.length < PARTS_PER_READ || read === 0) return;
    from += read;
  }
}

async function readParts(
  db: pg.Pool | pg.PoolClient,
  key: BlobKey,
  from: number,
): Promise<Buffer[]> {
  if (!Number.isSafeInteger(from)) throw new Error('an attachment offset out of range');
  const client = 'release' in db ? db : await db.connect();
  const own = client !== db;
  // COPY takes no parameters: the texts are quoted by the driver, the offset is an integer.
  const copy = client.query(
    copyTo(
      `copy (select bytes from attachment_blob_chunks
              where hospital_id = ${client.escapeLiteral(key.hospitalId)}
                and sha256 = ${client.escapeLiteral(key.sha256)} and "offset" >= ${from}
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

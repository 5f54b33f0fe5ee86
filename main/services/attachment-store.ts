/**
 * The attachment files this workstation holds (docs/WORKSTATION.md "Attachments"), in the
 * encrypted replica itself: `attachment_chunks` pages are sealed by the replica's key like every
 * other patient value, so there is no second key to keep and no plaintext file in a folder. This
 * module alone writes `attachment_files` and `attachment_chunks` (lint: wardline/replica-writes).
 */
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, lte } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { attachmentChunks, attachmentFiles } from '../../db/local/schema';
import type { AttachmentMediaType } from '../../shared/attachment-types';
import type { ReplicaReader } from './replica-reader';

/** A SQLite value stays small: a 20 MB file is twenty rows. */
const STORED_PIECE_BYTES = 1024 * 1024;

export type AttachmentFileState = (typeof attachmentFiles.$inferSelect)['state'];

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Keeps a file's bytes; a file already held (the same report attached twice) is kept once, and
 * its state only moves forward: bytes fetched from the server never become bytes to upload.
 */
export function storeAttachmentFile(
  db: LocalDb,
  file: {
    sha256: string;
    mediaType: AttachmentMediaType;
    bytes: Buffer;
    state: AttachmentFileState;
  },
  now: string,
): void {
  db.transaction((tx) => {
    const held = tx
      .select({ sha256: attachmentFiles.sha256 })
      .from(attachmentFiles)
      .where(eq(attachmentFiles.sha256, file.sha256))
      .get();
    if (held) return;
    tx.insert(attachmentFiles)
      .values({
        sha256: file.sha256,
        mediaType: file.mediaType,
        byteSize: file.bytes.length,
        state: file.state,
        storedAt: now,
      })
      .run();
    for (let offset = 0; offset < file.bytes.length; offset += STORED_PIECE_BYTES) {
      tx.insert(attachmentChunks)
        .values({
          sha256: file.sha256,
          offset,
          bytes: file.bytes.subarray(offset, offset + STORED_PIECE_BYTES),
        })
        .run();
    }
  });
}

/** The whole file, or null when this workstation does not hold it. */
export function readAttachmentFile(db: ReplicaReader, sha256: string): Buffer | null {
  const file = db
    .select({ byteSize: attachmentFiles.byteSize })
    .from(attachmentFiles)
    .where(eq(attachmentFiles.sha256, sha256))
    .get();
  if (!file) return null;
  return Buffer.concat([...attachmentBytesFrom(db, sha256, 0)]);
}

/**
 * The file's bytes from `offset` to its end, one stored row at a time, each read only when
 * asked for: an upload sends a row while the next is read and decrypted, and holds no more
 * than a row or two of a 20 MB file. No statement stays open between rows, so the replica
 * serves other reads and writes meanwhile.
 */
export function* attachmentBytesFrom(
  db: ReplicaReader,
  sha256: string,
  offset: number,
): Generator<Buffer> {
  let at = offset;
  for (;;) {
    const row = db
      .select({ offset: attachmentChunks.offset, bytes: attachmentChunks.bytes })
      .from(attachmentChunks)
      .where(and(eq(attachmentChunks.sha256, sha256), lte(attachmentChunks.offset, at)))
      .orderBy(desc(attachmentChunks.offset))
      .limit(1)
      .get();
    if (!row || row.offset + row.bytes.length <= at) return;
    yield row.bytes.subarray(at - row.offset);
    at = row.offset + row.bytes.length;
  }
}

export function filesToUpload(db: ReplicaReader) {
  return db
    .select()
    .from(attachmentFiles)
    .where(eq(attachmentFiles.state, 'to_upload'))
    .orderBy(asc(attachmentFiles.storedAt))
    .all();
}

export function markAttachmentFile(
  db: LocalDb,
  sha256: string,
  change: { state?: AttachmentFileState; lastError?: string | null },
): void {
  db.update(attachmentFiles).set(change).where(eq(attachmentFiles.sha256, sha256)).run();
}

/**
 * Files fetched for a stay are kept while it lasts (issue 17): once no attachment of an open
 * stay (or of no stay) names a fetched or uploaded file, it goes; the server still has it.
 * Files attached here stay until uploaded, whatever the stay; bytes whose attachment was never
 * written (its write refused) go too.
 */
export function releaseFinishedStayFiles(db: LocalDb): number {
  const result = db.$client
    .prepare(
      `delete from attachment_files
        where (state in ('fetched', 'uploaded')
               or not exists (select 1 from attachments a where a.sha256 = attachment_files.sha256))
          and not exists (
            select 1 from attachments a left join visits v on v.id = a.visit_id
             where a.sha256 = attachment_files.sha256 and a.deleted_at is null
               and (a.visit_id is null or v.status = 'admitted'))`,
    )
    .run();
  return result.changes;
}

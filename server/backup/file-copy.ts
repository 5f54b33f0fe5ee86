/**
 * Copies one file while hashing what was copied, so the manifest records the bytes the backup
 * really holds, and a restore can tell a damaged copy from a good one.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface CopiedFile {
  size: number;
  sha256: string;
}

export async function copyHashed(from: string, to: string): Promise<CopiedFile> {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  // Patient data: readable by the server's own user only.
  await pipeline(createReadStream(from), tap, createWriteStream(to, { mode: 0o600 }));
  return { size, sha256: hash.digest('hex') };
}

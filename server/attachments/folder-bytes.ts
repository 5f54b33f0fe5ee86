/**
 * Attachment bytes as files in the server's attachments folder (serve's default,
 * `<data-dir>/attachments`; docs/SERVER.md "Attachments"): `<folder>/<hospital id>/<sha256>`,
 * written in place as the steps of an upload arrive and fsynced before the step's row commits.
 * Storing 20 MB as bytea cost this PostgreSQL about as much as the whole raw copy of the bench
 * (TOAST rows and their WAL for every byte); a file write and fsync costs a fraction of it
 * (docs/SYNC.md "Attachments").
 *
 * The file may hold more than its row's committed `received_bytes` (a step written whose
 * transaction then failed): the next step cuts it back to them before writing. A complete file
 * is never written again. Several server processes share the folder as they share PostgreSQL:
 * every write happens under the blob row's lock.
 */
import { constants } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ApiError } from '../http/errors';
import type { BlobBytes, BlobKey } from './blob-bytes';

/** Read size of a file sent out, the size of a stored part in PostgreSQL. */
const READ_BYTES = 1024 * 1024;

export function folderBytes(folder: string): BlobBytes {
  const hospitalFolder = (key: BlobKey) => join(folder, key.hospitalId);
  // The sha256 was checked as 64 hex characters at the route: it cannot leave the folder.
  const pathOf = (key: BlobKey) => join(hospitalFolder(key), key.sha256);

  return {
    kind: 'folder',

    async append(_client, key, step) {
      let file: FileHandle;
      let created = false;
      try {
        file = await open(pathOf(key), constants.O_RDWR);
      } catch (error) {
        if (!isMissing(error)) throw error;
        if (step.at > 0) return false;
        await mkdir(hospitalFolder(key), { recursive: true, mode: 0o700 });
        file = await open(pathOf(key), constants.O_RDWR | constants.O_CREAT, 0o600);
        created = true;
      }
      try {
        const { size } = await file.stat();
        if (size < step.at) return false;
        if (size > step.at) await file.truncate(step.at);
        let at = step.at;
        for (const part of step.parts) {
          const written = file.write(part, 0, part.length, at);
          step.running?.update(part);
          if ((await written).bytesWritten !== part.length)
            throw new Error('An attachment part was written short.');
          at += part.length;
        }
        // The row that says these bytes arrived commits after this: they must be on disk first.
        await file.sync();
      } finally {
        await file.close();
      }
      if (created) await syncFolder(hospitalFolder(key));
      return true;
    },

    async clear(_client, key) {
      try {
        await writeNothing(pathOf(key));
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    },

    async open(_pool, key, byteSize) {
      let file: FileHandle;
      try {
        file = await open(pathOf(key), 'r');
      } catch (error) {
        if (isMissing(error)) throw missingFile();
        throw error;
      }
      const { size } = await file.stat();
      if (size < byteSize) {
        await file.close();
        throw missingFile();
      }
      if (byteSize === 0) {
        await file.close();
        return Readable.from([]);
      }
      // The stream closes the file when it ends or is destroyed (a reader gone midway).
      return file.createReadStream({ start: 0, end: byteSize - 1, highWaterMark: READ_BYTES });
    },
  };
}

async function writeNothing(path: string): Promise<void> {
  const file = await open(path, constants.O_RDWR);
  try {
    await file.truncate(0);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** A new file's name is durable only once its folder is synced too. */
async function syncFolder(path: string): Promise<void> {
  const folder = await open(path, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/**
 * A file the database says arrived whole but the folder does not hold: a folder not restored
 * with its database, or a process given another folder than the others. Logged as a 500.
 */
function missingFile(): ApiError {
  return new ApiError(
    500,
    'internal',
    "This file is recorded as received but is missing from the server's attachments folder; tell IT (docs/SERVER.md, Attachments).",
  );
}

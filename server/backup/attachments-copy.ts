/**
 * The attachments folder in a backup (docs/SERVER.md "Backups"): its files are copied after
 * pg_backup_stop, so every file the backed-up database records as received whole is there whole
 * (a complete file is never written again), and a file still arriving is there with at least
 * the bytes its row records (the rest is cut off by its next upload, and a file found shorter
 * than its row is received again from its first byte: blob-store.ts).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupFile } from './backup-folder';
import { copyHashed } from './file-copy';

/** Where the attachments folder goes in a backup, and comes back to in a restored data folder. */
export const ATTACHMENTS_DIR = 'attachments';

export async function copyAttachments(
  source: string | undefined,
  out: string,
): Promise<{ directories: string[]; files: BackupFile[] }> {
  if (source === undefined || !existsSync(source)) return { directories: [], files: [] };
  const directories = [ATTACHMENTS_DIR];
  const files: BackupFile[] = [];
  await mkdir(join(out, ATTACHMENTS_DIR), { mode: 0o700 });
  for (const hospital of await readdir(source, { withFileTypes: true })) {
    if (!hospital.isDirectory()) continue;
    const folder = `${ATTACHMENTS_DIR}/${hospital.name}`;
    directories.push(folder);
    await mkdir(join(out, folder), { mode: 0o700 });
    for (const file of await readdir(join(source, hospital.name), { withFileTypes: true })) {
      if (!file.isFile()) continue;
      const path = `${folder}/${file.name}`;
      files.push({
        path,
        ...(await copyHashed(join(source, hospital.name, file.name), join(out, path))),
      });
    }
  }
  return { directories, files };
}

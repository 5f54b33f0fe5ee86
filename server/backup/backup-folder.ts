/**
 * What a backup folder holds (`npm run server -- backup --out DIR`): a copy of the embedded
 * PostgreSQL cluster's data directory made with PostgreSQL's own low-level backup API, the WAL
 * that makes it consistent, the cluster's password file, and this manifest, which lists every
 * file with its size and SHA-256 so that a damaged copy is refused before it is started.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const MANIFEST_FILE = 'wardline-backup.json';
/** The data directory's copy, named as in a server's data folder. */
export const CLUSTER_DIR = 'postgres';

export const BackupFileSchema = z.object({
  /** Relative to the backup folder, with `/` separators. */
  path: z.string().min(1),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type BackupFile = z.infer<typeof BackupFileSchema>;

export const BackupManifestSchema = z.object({
  format: z.literal(1),
  createdAt: z.iso.datetime(),
  /** `server_version_num` of the cluster: a restore needs the same PostgreSQL major version. */
  postgresVersion: z.number().int().positive(),
  startLsn: z.string(),
  stopLsn: z.string(),
  /** Directories, relative like the files, so empty ones (pg_wal's neighbours) come back too. */
  directories: z.array(z.string().min(1)),
  files: z.array(BackupFileSchema),
});
export type BackupManifest = z.infer<typeof BackupManifestSchema>;

export class BackupError extends Error {
  constructor(
    readonly code:
      | 'backup_external_database'
      | 'backup_folder_not_empty'
      | 'backup_not_supported'
      | 'backup_not_found'
      | 'backup_damaged'
      | 'restore_folder_not_empty'
      | 'restore_version_mismatch',
    message: string,
  ) {
    super(message);
  }
}

export async function readBackupManifest(folder: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await readFile(join(folder, MANIFEST_FILE), 'utf8');
  } catch {
    throw new BackupError(
      'backup_not_found',
      `${folder} is not a Wardline backup folder (it has no ${MANIFEST_FILE}).`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = null;
  }
  const parsed = BackupManifestSchema.safeParse(raw);
  if (!parsed.success)
    throw new BackupError(
      'backup_damaged',
      `The backup's ${MANIFEST_FILE} in ${folder} is damaged; use another backup.`,
    );
  return parsed.data;
}

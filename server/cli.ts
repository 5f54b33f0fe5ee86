/**
 * `npm run server -- <command>`: serve | enroll-code | create-user | devices list|revoke |
 * migrate | backup | restore | compact-feed | org … (`revoke-device` is the older name of `devices revoke`).
 * See docs/SERVER.md and ../shared/docs/SYNC-PROTOCOL.md "Starting the server".
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { seedCentralDatabase } from '../db/central/seed';
import { IdSchema } from '../shared/schemas/common';
import { buildServer } from './app';
import { ATTACHMENTS_DIR } from './backup/attachments-copy';
import { backupEmbeddedCluster } from './backup/backup-cluster';
import { BackupError } from './backup/backup-folder';
import { restoreEmbeddedCluster } from './backup/restore-cluster';
import { openDatabase } from './db/open-database';
import { createEnrollmentCode } from './devices/enrollment';
import { revokeDeviceFromConsole } from './devices/revoke';
import { listDevices } from './devices/fleet';
import { fleetTable } from './devices/fleet-table';
import { ApiError } from './http/errors';
import { startMetricsServer } from './metrics/http-metrics';
import { createServerMetrics } from './metrics/server-metrics';
import { compactFeed, measureFeed } from './sync/feed-compaction';
import { readFeedRetentionConfig, type FeedRetentionConfig } from './sync/feed-retention';
import { createStaffAccount, MIN_PASSWORD_LENGTH } from './staff/create-account';
import {
  OrganisationError,
  OrgUsageError,
  ORG_USAGE,
  runOrgCommand,
} from './organisation/org-command';
import { readPasswordFromStdin } from './staff/read-password';

const USAGE = `usage:
  npm run server -- serve [--port N] [--host H] [--data-dir DIR] [--demo]
      [--tls-cert FILE --tls-key FILE] [--trust-proxy]
      [--metrics-port N [--metrics-host H]] [--log-format json|pretty]
      [--feed-horizon-days D] [--compact-every-minutes M]
      [--attachments-dir DIR | --attachments-in-database]
  npm run server -- enroll-code --hospital CODE [--data-dir DIR]
  npm run server -- create-user --hospital CODE --email E --name "N" --role R [--data-dir DIR]
      (the first password is read from standard input, never from the command line)
  npm run server -- devices list [--hospital CODE] [--json] [--data-dir DIR]
  npm run server -- devices revoke ID [--data-dir DIR]
      (revoke-device --device ID, the older form, still works)
  npm run server -- migrate [--data-dir DIR]
  npm run server -- backup --out DIR [--data-dir DIR] [--attachments-dir DIR]
  npm run server -- restore --from DIR --data-dir NEW-DIR
  npm run server -- compact-feed [--feed-horizon-days D] [--data-dir DIR]
${ORG_USAGE}
      (each org command also takes [--data-dir DIR])`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string', default: './.wardline-server' },
    demo: { type: 'boolean', default: false },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'trust-proxy': { type: 'boolean', default: false },
    'metrics-port': { type: 'string' },
    'metrics-host': { type: 'string', default: '127.0.0.1' },
    'log-format': { type: 'string', default: 'json' },
    out: { type: 'string' },
    from: { type: 'string' },
    hospital: { type: 'string' },
    device: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    json: { type: 'boolean', default: false },
    code: { type: 'string' },
    region: { type: 'string' },
    capacity: { type: 'string' },
    floor: { type: 'string' },
    ward: { type: 'string' },
    number: { type: 'string' },
    status: { type: 'string' },
    file: { type: 'string' },
    'feed-horizon-days': { type: 'string' },
    'compact-every-minutes': { type: 'string' },
    'attachments-dir': { type: 'string' },
    'attachments-in-database': { type: 'boolean', default: false },
  },
});

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(2);
};

const database = () =>
  openDatabase({
    dataDir: values['data-dir'],
    databaseUrl: process.env.DATABASE_URL,
  });

/** The certificate and key for HTTPS, both or neither, read before anything else starts. */
function readTls(): { cert: Buffer; key: Buffer } | undefined {
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined)
    return fail('HTTPS needs both --tls-cert FILE and --tls-key FILE (PEM).');
  const read = (option: string, file: string) => {
    try {
      return readFileSync(file);
    } catch {
      return fail(`${option}: cannot read ${file}.`);
    }
  };
  return { cert: read('--tls-cert', certFile), key: read('--tls-key', keyFile) };
}

function readPort(option: string, text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`${option}: ${text} is not a port number.`);
  return port;
}

/** Horizon and interval from the flags or the environment, checked before anything starts. */
function readFeedRetention(): FeedRetentionConfig {
  try {
    return readFeedRetentionConfig(
      {
        horizonDays: values['feed-horizon-days'],
        compactEveryMinutes: values['compact-every-minutes'],
      },
      process.env,
    );
  } catch (error) {
    return fail(`Feed retention: ${error instanceof Error ? error.message : String(error)}.`);
  }
}

/**
 * Where attachment files go (docs/SERVER.md "Attachments"): a folder, `<data-dir>/attachments`
 * unless `--attachments-dir` names another (one every serve process of the site shares), or
 * PostgreSQL with `--attachments-in-database`.
 */
function readAttachmentsDir(): string | undefined {
  if (values['attachments-in-database']) {
    if (values['attachments-dir'] !== undefined)
      fail('Give either --attachments-dir or --attachments-in-database.');
    return undefined;
  }
  return attachmentsFolder();
}

function attachmentsFolder(): string {
  return resolve(values['attachments-dir'] ?? join(values['data-dir'], ATTACHMENTS_DIR));
}

function readLogFormat(): 'json' | 'pretty' {
  const format = values['log-format'];
  if (format === 'json' || format === 'pretty') return format;
  return fail(`--log-format: ${format} is neither json nor pretty.`);
}

async function serve() {
  const port = readPort('--port', values.port);
  const metricsPort =
    values['metrics-port'] === undefined
      ? null
      : readPort('--metrics-port', values['metrics-port']);
  const logFormat = readLogFormat();
  const feedRetention = readFeedRetention();
  const tls = readTls();
  const attachmentsDir = readAttachmentsDir();
  if (attachmentsDir !== undefined) await mkdir(attachmentsDir, { recursive: true, mode: 0o700 });
  const { db, close } = await database();
  // Reference data (roles, permissions) is brought up to date at every start.
  await seedCentralDatabase(db, { demo: values.demo });
  const metrics = metricsPort === null ? null : createServerMetrics();
  let app: Awaited<ReturnType<typeof buildServer>>;
  let metricsServer: Awaited<ReturnType<typeof startMetricsServer>> | null = null;
  try {
    app = await buildServer({
      pool: db.$client,
      ...(tls ? { tls } : {}),
      trustProxy: values['trust-proxy'],
      logFormat,
      feedRetention,
      ...(metrics ? { metrics } : {}),
      ...(attachmentsDir !== undefined ? { attachmentsDir } : {}),
    });
    if (metrics && metricsPort !== null)
      metricsServer = await startMetricsServer(metrics, {
        host: values['metrics-host'],
        port: metricsPort,
      });
  } catch (error) {
    // A certificate that does not match its key, say: the database must not be left running.
    await close();
    throw error;
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await metricsServer?.close();
    await close();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      void stop();
    });
  }
  await app.listen({ port, host: values.host });
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  if (metricsServer) process.stdout.write(`metrics on ${metricsServer.url}\n`);
  process.stdout.write(`listening on ${tls ? 'https' : 'http'}://${values.host}:${boundPort}\n`);
}

async function withDatabase(
  run: (db: Awaited<ReturnType<typeof database>>['db']) => Promise<void>,
) {
  const { db, close } = await database();
  try {
    await run(db);
  } finally {
    await close();
  }
}

/** The embedded database only: a managed PostgreSQL is backed up by its own means (docs/SERVER.md). */
async function backup() {
  const out = values.out ?? fail('backup needs --out DIR');
  if (process.env.DATABASE_URL)
    fail(
      "backup copies the embedded database; with DATABASE_URL, use that PostgreSQL's own backups (docs/SERVER.md, Backups).",
    );
  const started = performance.now();
  const { db, close } = await openDatabase({ dataDir: values['data-dir'], migrate: false });
  try {
    const summary = await backupEmbeddedCluster({
      pool: db.$client,
      dataDir: values['data-dir'],
      out,
      attachmentsDir: attachmentsFolder(),
    });
    const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
    process.stdout.write(`${JSON.stringify({ ...summary, seconds })}\n`);
  } finally {
    await close();
  }
}

async function restore() {
  const from = values.from ?? fail('restore needs --from DIR');
  if (!dataDirGiven()) fail('restore needs --data-dir NEW-DIR, a new or empty folder');
  const started = performance.now();
  const summary = await restoreEmbeddedCluster({ from, dataDir: values['data-dir'] });
  const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  process.stdout.write(`${JSON.stringify({ ...summary, seconds })}\n`);
}

/** Whether --data-dir was given rather than defaulted: a restore must never pick a folder itself. */
function dataDirGiven(): boolean {
  return process.argv.some((arg) => arg === '--data-dir' || arg.startsWith('--data-dir='));
}

/** After this the device's token answers 401 everywhere; what it had not sent stays on it. */
function revoke(deviceId: string) {
  if (!IdSchema.safeParse(deviceId).success)
    fail(`${deviceId} is not a device id: \`devices list\` shows them.`);
  return withDatabase(async (db) => {
    const revoked = await revokeDeviceFromConsole(db.$client, { deviceId, now: new Date() });
    if (!revoked) fail(`There is no device ${deviceId}.`);
    process.stdout.write(`${JSON.stringify({ deviceId, revoked: true })}\n`);
  });
}

/** `devices list` (most at risk first) and `devices revoke ID`. */
function devices(action: string | undefined, deviceId: string | undefined) {
  if (action === 'revoke')
    return revoke(deviceId ?? values.device ?? fail('devices revoke needs the device id'));
  if (action !== 'list') return fail(USAGE);
  return withDatabase(async (db) => {
    const hospitalCode = values.hospital;
    const listed = await listDevices(db.$client, hospitalCode ? { hospitalCode } : {});
    if (values.json) process.stdout.write(`${JSON.stringify({ devices: listed })}\n`);
    else process.stdout.write(fleetTable(listed, new Date()));
  });
}

async function main() {
  const [command] = positionals;
  switch (command) {
    case 'serve':
      return serve();
    case 'enroll-code': {
      const hospitalCode = values.hospital ?? fail('enroll-code needs --hospital CODE');
      return withDatabase(async (db) => {
        await seedCentralDatabase(db, { demo: false });
        const code = await createEnrollmentCode(db.$client, { hospitalCode });
        process.stdout.write(`${JSON.stringify(code)}\n`);
      });
    }
    case 'create-user': {
      const hospitalCode = values.hospital ?? fail('create-user needs --hospital CODE');
      const email = values.email ?? fail('create-user needs --email E');
      const fullName = values.name ?? fail('create-user needs --name "N"');
      const role = values.role ?? fail('create-user needs --role R');
      const password = await readPasswordFromStdin((text) => process.stderr.write(text));
      if (password.length < MIN_PASSWORD_LENGTH)
        fail(`The password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
      return withDatabase(async (db) => {
        await seedCentralDatabase(db, { demo: false });
        const created = await createStaffAccount(db.$client, {
          hospitalCode,
          email,
          fullName,
          role,
          password,
        });
        process.stdout.write(`${JSON.stringify(created)}\n`);
      });
    }
    case 'devices':
      return devices(positionals[1], positionals[2]);
    case 'revoke-device':
      return revoke(values.device ?? fail('revoke-device needs --device ID'));
    case 'backup':
      return backup();
    case 'restore':
      return restore();
    case 'org':
      return withDatabase(async (db) => {
        await seedCentralDatabase(db, { demo: false });
        process.stdout.write(await runOrgCommand(db.$client, positionals.slice(1), values));
      });
    case 'compact-feed': {
      const { horizonDays, batchSize } = readFeedRetention();
      return withDatabase(async (db) => {
        const started = performance.now();
        const before = await measureFeed(db.$client);
        const compacted = await compactFeed(db.$client, {
          horizonDays,
          batchSize,
          now: new Date(),
        });
        const after = await measureFeed(db.$client);
        const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
        process.stdout.write(
          `${JSON.stringify({ horizonDays, ...compacted, entriesBefore: before.entries, entriesAfter: after.entries, seconds })}\n`,
        );
      });
    }
    case 'migrate':
      return withDatabase(() => {
        process.stdout.write('migrations applied\n');
        return Promise.resolve();
      });
    default:
      fail(USAGE);
  }
}

main().catch((error: unknown) => {
  if (error instanceof OrgUsageError) fail(error.message);
  if (error instanceof OrganisationError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  // A backup or restore refused before anything was done is a usage matter (exit 2).
  if (error instanceof BackupError && /not_empty|external/.test(error.code)) fail(error.message);
  process.stderr.write(
    `${error instanceof ApiError || error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

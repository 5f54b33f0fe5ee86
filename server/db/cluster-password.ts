/**
 * The embedded cluster's password: random, made at first start and kept in
 * `<dataDir>/postgres.password`, readable by the server's own user only (0600). Anyone else on
 * the machine who can reach 127.0.0.1 cannot open the hospital's database with a password
 * printed in the source.
 *
 * A data folder made before this has a cluster whose password is the fixed `wardline` and no
 * file. Its next start gives it a random one: the new password is written to
 * `postgres.password.next` first, set with ALTER ROLE through the old one, and only then becomes
 * `postgres.password`. A start interrupted in between finds the `.next` file and tries it before
 * the old password, so the folder is never locked out.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';

/** The password of every embedded cluster made before random ones (kept only to replace it). */
const LEGACY_PASSWORD = 'wardline';
export const PASSWORD_FILE = 'postgres.password';
const NEXT_FILE = 'postgres.password.next';

export interface ClusterPassword {
  /** What the cluster's `wardline` role has now (as far as the files say). */
  current: string;
  /** A new password still to be set, for a folder from before; else null. */
  next: string | null;
}

async function readSecret(path: string): Promise<string | null> {
  if (!existsSync(path)) return null;
  await chmod(path, 0o600);
  const secret = (await readFile(path, 'utf8')).trim();
  return secret === '' ? null : secret;
}

/** Written under another name and renamed, so a crash never leaves half a password. */
async function writeSecret(path: string, secret: string): Promise<void> {
  const partial = `${path}.partial`;
  await writeFile(partial, `${secret}\n`, { mode: 0o600 });
  await rename(partial, path);
}

const newPassword = () => randomBytes(32).toString('base64url');

/** The password to open `dataDir`'s cluster with: the file's, else the one of older folders. */
export async function readClusterPassword(dataDir: string): Promise<string> {
  return (await readSecret(join(dataDir, PASSWORD_FILE))) ?? LEGACY_PASSWORD;
}

/**
 * The password a cluster is made or opened with. For a new cluster (`fresh`) a random one is
 * written before initdb runs, so no cluster ever exists whose password is nowhere.
 */
export async function ensureClusterPassword(
  dataDir: string,
  options: { fresh: boolean },
): Promise<ClusterPassword> {
  const kept = await readSecret(join(dataDir, PASSWORD_FILE));
  if (kept !== null) return { current: kept, next: null };
  if (options.fresh) {
    const password = newPassword();
    await writeSecret(join(dataDir, PASSWORD_FILE), password);
    return { current: password, next: null };
  }
  const nextFile = join(dataDir, NEXT_FILE);
  let next = await readSecret(nextFile);
  if (next === null) {
    next = newPassword();
    await writeSecret(nextFile, next);
  }
  return { current: LEGACY_PASSWORD, next };
}

/**
 * Once the cluster runs: for a folder from before, sets the random password and makes it the
 * kept one. Returns the password the cluster has from now on.
 */
export async function settleClusterPassword(
  dataDir: string,
  password: ClusterPassword,
  connect: (password: string) => Promise<pg.Client>,
): Promise<string> {
  const { next } = password;
  if (next === null) return password.current;
  const alreadySet = await connect(next).then(
    (client) => client.end().then(() => true),
    () => false,
  );
  if (!alreadySet) {
    const client = await connect(password.current);
    try {
      await client.query(`alter role wardline password ${client.escapeLiteral(next)}`);
    } finally {
      await client.end();
    }
  }
  await rename(join(dataDir, NEXT_FILE), join(dataDir, PASSWORD_FILE));
  return next;
}

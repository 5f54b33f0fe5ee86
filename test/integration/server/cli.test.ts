import { execFile, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Agent } from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { makeTestCertificates } from '../../support/certificates';

// The server runs as `node --import tsx` (as `npm run server` does): the tsx wrapper binary
// relays SIGTERM with 30 ms timeouts and SIGKILLs a child that is slow to confirm under load.
const node = process.execPath;
const cli = ['--import', 'tsx', 'server/cli.ts'];
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wardline-cli-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

test('serve prints one listening line, answers, and exits 0 on SIGTERM with its database stopped', async () => {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const child = spawn(node, [...cli, 'serve', '--port', '0', '--data-dir', dataDir, '--demo'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => {
      reject(new Error(`serve exited early with ${String(code)}`));
    });
  });
  const health = await fetch(`${url}/v1/health`);
  expect(await health.json()).toMatchObject({ status: 'ok', db: 'ok' });

  const { stdout: codeLine } = await promisify(execFile)(
    node,
    [...cli, 'enroll-code', '--hospital', 'NGH', '--data-dir', dataDir],
    { env },
  );
  const code = JSON.parse(codeLine) as { code: string; hospitalId: string; expiresAt: string };
  expect(codeLine.trim().split('\n')).toHaveLength(1);
  const enrolled = await fetch(`${url}/v1/devices/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: code.code, deviceName: 'CLI test' }),
  });
  expect(enrolled.status).toBe(200);

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(stdout).toBe(`listening on ${url}\n`);
  await expect(fetch(`${url}/v1/health`)).rejects.toThrow();
  expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  // The embedded database's password is random and readable by the server's user only.
  expect(statSync(join(dataDir, 'postgres.password')).mode & 0o777).toBe(0o600);
}, 90_000);

test('serve --tls-cert --tls-key speaks HTTPS and says so; a certificate without its key stops it', async () => {
  const certs = makeTestCertificates();
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const tlsArgs = ['--tls-cert', certs.certFile, '--tls-key', certs.keyFile, '--trust-proxy'];
  const child = spawn(node, [...cli, 'serve', '--port', '0', '--data-dir', dataDir, ...tlsArgs], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /^listening on (https:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => {
        reject(new Error(`serve exited early with ${String(code)}`));
      });
    });
    const dispatcher = new Agent({ connect: { ca: certs.caPem } });
    const init: RequestInit & { dispatcher: Agent } = { dispatcher };
    const health = await fetch(`${url}/v1/health`, init);
    expect(await health.json()).toMatchObject({ status: 'ok', db: 'ok', protocol: 2 });
    await expect(fetch(`${url.replace('https:', 'http:')}/v1/health`)).rejects.toThrow();
    await dispatcher.close();
  } finally {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }

  const halfTls = promisify(execFile)(
    node,
    [...cli, 'serve', '--port', '0', '--data-dir', dataDir, '--tls-cert', certs.certFile],
    { env },
  );
  const refused = await halfTls.then(
    () => null,
    (error: unknown) => error as { code: number; stderr: string },
  );
  expect(refused?.code).toBe(2);
  expect(refused?.stderr).toContain('both --tls-cert FILE and --tls-key FILE');
  certs.remove();
}, 90_000);

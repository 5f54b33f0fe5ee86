import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';

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
}, 90_000);

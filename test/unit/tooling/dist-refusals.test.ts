/**
 * `npm run dist` on a build machine that cannot fetch the Electron binary stops at once with one
 * sentence, before building anything. The "mirror" is a closed port on 127.0.0.1. Nor does it
 * make a Windows build that is not signed.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  cannotDownload,
  electronDownloadProblem,
  electronDownloadSource,
  installedElectron,
} from '../../../scripts/electron-download';
import { UNSIGNED_WINDOWS, windowsSigning } from '../../../scripts/windows-signing';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A port on 127.0.0.1 that was just free and is closed again: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  await new Promise<void>((closed) =>
    server.close(() => {
      closed();
    }),
  );
  return address.port;
}

describe('getting Electron for npm run dist', () => {
  it('downloads from GitHub unless ELECTRON_MIRROR says where', () => {
    expect(electronDownloadSource(undefined)).toEqual({ host: 'github.com', port: 443 });
    expect(electronDownloadSource('https://mirror.hospital.example/electron/')).toEqual({
      host: 'mirror.hospital.example',
      port: 443,
    });
    expect(electronDownloadSource('http://127.0.0.1:8080/')).toEqual({
      host: '127.0.0.1',
      port: 8080,
    });
    expect(electronDownloadSource('mirror')).toBe('ELECTRON_MIRROR (mirror) is not a URL.');
  });

  it('names the host it cannot reach and what to do', async () => {
    const port = await closedPort();
    const problem = await electronDownloadProblem({
      root: '/nonexistent-wardline-checkout',
      mirror: `http://127.0.0.1:${port}/`,
    });
    expect(problem).toBe(cannotDownload('127.0.0.1', 'ECONNREFUSED'));
  });

  it('is no problem when the mirror answers', async () => {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    try {
      const problem = await electronDownloadProblem({
        root: '/nonexistent-wardline-checkout',
        mirror: `http://127.0.0.1:${address.port}/`,
      });
      expect(problem).toBeNull();
    } finally {
      server.close();
    }
  });

  // Where npm did install Electron, dist would really build: nothing to refuse there.
  it.skipIf(installedElectron(ROOT) !== null)(
    'npm run dist exits 1 with that one sentence, before building anything',
    async () => {
      const port = await closedPort();
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
      };
      delete env.WARDLINE_UPDATE_URL;
      const run = spawnSync('npm', ['run', '--silent', 'dist'], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toBe(cannotDownload('127.0.0.1', 'ECONNREFUSED'));
      expect(run.stdout).not.toContain('Building');
    },
  );
});

describe('signing Windows installers', () => {
  it('refuses an unsigned Windows build, whose workstations could not check their updates', () => {
    expect(windowsSigning('win32', {})).toEqual({ ok: false, sentence: UNSIGNED_WINDOWS });
    expect(windowsSigning('win32', { CSC_LINK: 'cert.pfx' })).toEqual({ ok: true, win: undefined });
    expect(
      windowsSigning('win32', { WIN_CSC_LINK: 'cert.pfx', WARDLINE_WIN_PUBLISHER: 'NGH IT' }),
    ).toEqual({
      ok: true,
      win: { signtoolOptions: { publisherName: 'NGH IT' } },
    });
  });

  it('asks nothing of a macOS or Linux build', () => {
    expect(windowsSigning('linux', {})).toEqual({ ok: true, win: undefined });
  });
});

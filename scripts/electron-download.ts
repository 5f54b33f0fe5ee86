/**
 * Whether `npm run dist` can get the Electron binary it packages, asked before anything is built:
 * electron-builder would otherwise fail minutes later, after its retries, with a stack trace.
 * Electron comes from node_modules/electron/dist when npm installed it there, else electron-builder
 * downloads it from github.com or ELECTRON_MIRROR.
 */
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

/** The unpacked Electron npm put beside the package, if its download was allowed there. */
export function installedElectron(root: string): string | null {
  const dist = join(root, 'node_modules', 'electron', 'dist');
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  return existsSync(join(dist, readFileSync(pathFile, 'utf8').trim())) ? dist : null;
}

export interface DownloadSource {
  host: string;
  port: number;
}

/** Where electron-builder would download Electron from: ELECTRON_MIRROR, else GitHub. */
export function electronDownloadSource(mirror: string | undefined): DownloadSource | string {
  if (!mirror) return { host: 'github.com', port: 443 };
  let url: URL;
  try {
    url = new URL(mirror);
  } catch {
    return `ELECTRON_MIRROR (${mirror}) is not a URL.`;
  }
  const port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
  return { host: url.hostname, port };
}

export const cannotDownload = (host: string, why: string): string =>
  `npm run dist needs the Electron binary, which this machine cannot download from ${host} (${why}): run it on a build machine that can reach ${host}, set ELECTRON_MIRROR to a mirror it can reach, or install electron there without ELECTRON_SKIP_BINARY_DOWNLOAD.`;

/** A TCP connection to the download host (name lookup included); null when it answers. */
export function reachDownloadSource(
  source: DownloadSource,
  timeoutMs = 8000,
): Promise<string | null> {
  return new Promise((settle) => {
    const socket = connect({ host: source.host, port: source.port });
    const done = (problem: string | null) => {
      socket.destroy();
      settle(problem);
    };
    socket.setTimeout(timeoutMs, () => {
      done(cannotDownload(source.host, 'ETIMEDOUT'));
    });
    socket.once('connect', () => {
      done(null);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      done(cannotDownload(source.host, error.code ?? 'no answer'));
    });
  });
}

/** The one sentence `npm run dist` stops with when it cannot get Electron; null when it can. */
export async function electronDownloadProblem(options: {
  root: string;
  mirror: string | undefined;
}): Promise<string | null> {
  if (installedElectron(options.root)) return null;
  const source = electronDownloadSource(options.mirror);
  if (typeof source === 'string') return source;
  return reachDownloadSource(source);
}

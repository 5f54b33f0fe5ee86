/**
 * `npm run dist`: the signed installers of the desktop app for the machine it runs on
 * (electron-builder.yml: NSIS and MSI on Windows, dmg and zip on macOS, deb, rpm and AppImage on
 * Linux), in release/. Builds main and the desktop renderer first. Electron itself comes from
 * node_modules/electron/dist when npm installed it there, else electron-builder downloads it
 * (github.com, or ELECTRON_MIRROR); where it can do neither, this says so in one sentence and
 * exits 1. WARDLINE_UPDATE_URL (https) replaces the update server written into the package.
 * docs/DEPLOYING.md.
 */
import { lookup } from 'node:dns/promises';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type Configuration } from 'electron-builder';
import { checkServerAddress } from '../shared/server-address';
import { buildMain } from './build-main';
import { buildRenderer } from './build-renderer';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NETWORK_ERRORS = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

function stop(sentence: string): never {
  console.error(sentence);
  process.exit(1);
}

/** The unpacked Electron npm put beside the package, if its download was allowed there. */
function installedElectron(): string | null {
  const dist = `${ROOT}node_modules/electron/dist`;
  const pathFile = `${ROOT}node_modules/electron/path.txt`;
  if (!existsSync(pathFile)) return null;
  return existsSync(`${dist}/${readFileSync(pathFile, 'utf8').trim()}`) ? dist : null;
}

function downloadHost(): string {
  const mirror = process.env.ELECTRON_MIRROR;
  if (!mirror) return 'github.com';
  try {
    return new URL(mirror).hostname;
  } catch {
    return stop(`ELECTRON_MIRROR (${mirror}) is not a URL.`);
  }
}

const cannotDownload = (host: string, why: string) =>
  `npm run dist needs the Electron binary, which this machine cannot download from ${host} (${why}): run it on a build machine that can reach ${host}, set ELECTRON_MIRROR to a mirror it can reach, or install electron there without ELECTRON_SKIP_BINARY_DOWNLOAD.`;

function updateServer(): Configuration['publish'] | undefined {
  const url = process.env.WARDLINE_UPDATE_URL;
  if (url === undefined) return undefined;
  const checked = checkServerAddress(url);
  if (!checked.ok) return stop(`WARDLINE_UPDATE_URL: ${checked.message}`);
  return { provider: 'generic', url: checked.url.toString(), channel: 'latest' };
}

const electronDist = installedElectron();
const host = downloadHost();
const publish = updateServer();
if (!electronDist) {
  // Fail in a second rather than after electron-builder's retries.
  await lookup(host).catch((error: unknown) =>
    stop(cannotDownload(host, (error as NodeJS.ErrnoException).code ?? 'no answer')),
  );
}

console.log('Building the main process and the desktop screens …');
await buildMain();
await buildRenderer('desktop');

try {
  const artifacts = await build({
    publish: 'never',
    config: {
      ...(electronDist ? { electronDist } : {}),
      ...(publish ? { publish } : {}),
    },
  });
  console.log(`\nInstallers in release/:\n  ${artifacts.join('\n  ')}`);
  console.log(
    '\nbetter-sqlite3 in node_modules is now built for Electron; `npm rebuild better-sqlite3` builds it for Node again (tests, the server).',
  );
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && NETWORK_ERRORS.has(code)) stop(cannotDownload(host, code));
  throw error;
}

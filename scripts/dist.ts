/**
 * `npm run dist`: the signed installers of the desktop app for the machine it runs on
 * (electron-builder.yml: NSIS and MSI on Windows, dmg and zip on macOS, deb, rpm and AppImage on
 * Linux), in release/. Builds main and the desktop renderer first. Where Electron cannot be had
 * (scripts/electron-download.ts) it says so in one sentence and exits 1 before building anything.
 * WARDLINE_UPDATE_URL (https) replaces the update server written into the package;
 * WARDLINE_WIN_PUBLISHER the publisher an update must be signed by. docs/DEPLOYING.md.
 */
import { fileURLToPath } from 'node:url';
import { build, type Configuration } from 'electron-builder';
import { checkServerAddress } from '../shared/server-address';
import { buildMain } from './build-main';
import { buildRenderer } from './build-renderer';
import { cannotDownload, electronDownloadProblem, installedElectron } from './electron-download';
import { windowsSigning } from './windows-signing';

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

function updateServer(): Configuration['publish'] | undefined {
  const url = process.env.WARDLINE_UPDATE_URL;
  if (url === undefined) return undefined;
  const checked = checkServerAddress(url);
  if (!checked.ok) return stop(`WARDLINE_UPDATE_URL: ${checked.message}`);
  return { provider: 'generic', url: checked.url.toString(), channel: 'latest' };
}

const publish = updateServer();
const signing = windowsSigning(process.platform, process.env);
if (!signing.ok) stop(signing.sentence);
const { win } = signing;
const problem = await electronDownloadProblem({ root: ROOT, mirror: process.env.ELECTRON_MIRROR });
if (problem) stop(problem);
const electronDist = installedElectron(ROOT);

console.log('Building the main process and the desktop screens …');
await buildMain();
await buildRenderer('desktop');

try {
  const artifacts = await build({
    publish: 'never',
    config: {
      ...(electronDist ? { electronDist } : {}),
      ...(publish ? { publish } : {}),
      ...(win ? { win } : {}),
    },
  });
  console.log(`\nInstallers in release/:\n  ${artifacts.join('\n  ')}`);
  console.log(
    '\nbetter-sqlite3 in node_modules is now built for Electron; `npm rebuild better-sqlite3` builds it for Node again (tests, the server).',
  );
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  const host = process.env.ELECTRON_MIRROR ?? 'github.com';
  if (code !== undefined && NETWORK_ERRORS.has(code)) stop(cannotDownload(host, code));
  throw error;
}

/**
 * `npm test` runs this first: the browser tests drive a real Chromium (never a downloaded one),
 * so find it before minutes of type-checking, or stop at once with one sentence saying how to
 * get one. Order: CHROMIUM_PATH; a Chromium or Chrome on PATH; the usual install locations;
 * else, running as root where apt-get exists (a fresh CI box), Debian's `chromium` is installed.
 * The e2e support (test/e2e/support/browser.ts) asks `locateBrowser` for the same answer.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BrowserSearch {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** May install Debian's chromium (root and apt-get on PATH); false when only looking. */
  mayInstall: boolean;
  /** Where a browser is looked for besides PATH; defaults to the platform's usual places. */
  usualLocations?: readonly string[];
}

export type BrowserDecision =
  | { kind: 'found'; path: string; source: 'CHROMIUM_PATH' | 'PATH' | 'usual location' }
  | { kind: 'install'; aptGet: string }
  | { kind: 'missing'; sentence: string };

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

export const NO_BROWSER =
  'No Chromium or Chrome was found for the browser tests: install one (Debian/Ubuntu: `sudo apt-get install chromium`; macOS or Windows: Google Chrome) or set CHROMIUM_PATH to its executable, then run npm test again.';

export function usualBrowserLocations(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'darwin')
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
    ];
  if (platform === 'win32')
    return [env.ProgramFiles, env['ProgramFiles(x86)'], env.LOCALAPPDATA]
      .filter((dir): dir is string => Boolean(dir))
      .flatMap((dir) => [
        `${dir}\\Google\\Chrome\\Application\\chrome.exe`,
        `${dir}\\Chromium\\Application\\chrome.exe`,
      ]);
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/lib/chromium/chromium',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
  ];
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | null {
  const separator = platform === 'win32' ? ';' : ':';
  const suffixes = platform === 'win32' ? ['.exe', ''] : [''];
  for (const dir of (env.PATH ?? env.Path ?? '').split(separator)) {
    if (dir === '') continue;
    for (const suffix of suffixes) {
      const candidate = join(dir, `${name}${suffix}`);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

export function locateBrowser(search: BrowserSearch): BrowserDecision {
  const { env, platform } = search;
  const explicit = env.CHROMIUM_PATH;
  if (explicit) {
    if (isExecutable(explicit)) return { kind: 'found', path: explicit, source: 'CHROMIUM_PATH' };
    // Asked for by name: falling back to another browser would hide the mistake.
    return {
      kind: 'missing',
      sentence: `CHROMIUM_PATH is set to ${explicit}, which is not an executable file: point it at Chromium or Chrome, or unset it.`,
    };
  }
  for (const name of NAMES) {
    const path = onPath(name, env, platform);
    if (path) return { kind: 'found', path, source: 'PATH' };
  }
  for (const path of search.usualLocations ?? usualBrowserLocations(platform, env)) {
    if (isExecutable(path)) return { kind: 'found', path, source: 'usual location' };
  }
  const aptGet =
    platform === 'linux' && search.mayInstall ? onPath('apt-get', env, platform) : null;
  if (aptGet) return { kind: 'install', aptGet };
  return { kind: 'missing', sentence: NO_BROWSER };
}

function installDebianChromium(aptGet: string): boolean {
  console.log(
    "Installing Debian's chromium for the browser tests (running as root, apt-get found) …",
  );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync(aptGet, ['update', '-qq'], { stdio: 'ignore', env });
    execFileSync(aptGet, ['install', '-y', '-qq', 'chromium'], { stdio: 'ignore', env });
    return true;
  } catch {
    return false;
  }
}

export const NO_PDFTOTEXT =
  'pdftotext was not found, which the printing tests read their PDFs with: install poppler-utils (Debian/Ubuntu: `sudo apt-get install poppler-utils`; macOS: `brew install poppler`), then run npm test again.';

/**
 * The printing tests (issue 17) read their PDFs back with poppler's `pdftotext`: found on PATH,
 * or installed like the browser (Debian's poppler-utils, as root where apt-get exists).
 */
function ensurePdftotext(search: { env: NodeJS.ProcessEnv; mayInstall: boolean }): boolean {
  const platform = process.platform;
  if (onPath('pdftotext', search.env, platform)) return true;
  const aptGet =
    platform === 'linux' && search.mayInstall ? onPath('apt-get', search.env, platform) : null;
  if (!aptGet) return false;
  console.log('Installing poppler-utils (pdftotext) for the printing tests …');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync(aptGet, ['install', '-y', '-qq', 'poppler-utils'], { stdio: 'ignore', env });
  } catch {
    return false;
  }
  return onPath('pdftotext', search.env, platform) !== null;
}

function main(): number {
  const search = {
    env: process.env,
    platform: process.platform,
    mayInstall: process.getuid?.() === 0,
  };
  let decision = locateBrowser(search);
  if (decision.kind === 'install') {
    decision = installDebianChromium(decision.aptGet)
      ? locateBrowser({ ...search, mayInstall: false })
      : { kind: 'missing', sentence: NO_BROWSER };
  }
  if (decision.kind === 'missing') {
    console.error(decision.sentence);
    return 1;
  }
  if (decision.kind === 'found') console.log(`Browser tests will use ${decision.path}.`);
  if (!ensurePdftotext(search)) {
    console.error(NO_PDFTOTEXT);
    return 1;
  }
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main();

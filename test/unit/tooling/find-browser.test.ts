/**
 * Which browser the tests use, on a fake machine: folders of executables standing in for PATH
 * and the usual install locations, in a temp dir.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateBrowser, NO_BROWSER, usualBrowserLocations } from '../../../scripts/find-browser';

let machine: string;

beforeEach(() => {
  machine = mkdtempSync(join(tmpdir(), 'wardline-machine-'));
});
afterEach(() => {
  rmSync(machine, { recursive: true, force: true });
});

/** An executable (or, with mode 0o644, a plain file) at `path` inside the fake machine. */
function install(path: string, mode = 0o755): string {
  const full = join(machine, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, '#!/bin/sh\n');
  chmodSync(full, mode);
  return full;
}

const dirs = (...paths: string[]) => paths.map((path) => join(machine, path)).join(':');

describe('finding a browser for the e2e tests', () => {
  it('takes CHROMIUM_PATH first, and says so plainly when it names no executable', () => {
    const chrome = install('opt/chrome/chrome');
    install('bin/chromium');
    const env = { CHROMIUM_PATH: chrome, PATH: dirs('bin') };
    expect(locateBrowser({ env, platform: 'linux', mayInstall: true, usualLocations: [] })).toEqual(
      { kind: 'found', path: chrome, source: 'CHROMIUM_PATH' },
    );
    const wrong = locateBrowser({
      env: { CHROMIUM_PATH: join(machine, 'nowhere'), PATH: dirs('bin') },
      platform: 'linux',
      mayInstall: true,
      usualLocations: [],
    });
    expect(wrong).toEqual({
      kind: 'missing',
      sentence: `CHROMIUM_PATH is set to ${join(machine, 'nowhere')}, which is not an executable file: point it at Chromium or Chrome, or unset it.`,
    });
  });

  it('then a Chromium or Chrome on PATH, skipping files that are not executable', () => {
    install('a/chromium', 0o644);
    const chrome = install('b/google-chrome-stable');
    expect(
      locateBrowser({
        env: { PATH: dirs('empty', 'a', 'b') },
        platform: 'linux',
        mayInstall: false,
        usualLocations: [],
      }),
    ).toEqual({ kind: 'found', path: chrome, source: 'PATH' });
  });

  it('then the usual install locations', () => {
    const usual = install('usr/lib/chromium/chromium');
    expect(
      locateBrowser({
        env: { PATH: dirs('bin') },
        platform: 'linux',
        mayInstall: false,
        usualLocations: [join(machine, 'usr/bin/chromium'), usual],
      }),
    ).toEqual({ kind: 'found', path: usual, source: 'usual location' });
  });

  it('installs Debian’s chromium only as root with apt-get, otherwise says how to get one', () => {
    const aptGet = install('sbin/apt-get');
    const bare = {
      env: { PATH: dirs('bin', 'sbin') },
      platform: 'linux' as const,
      usualLocations: [],
    };
    expect(locateBrowser({ ...bare, mayInstall: true })).toEqual({ kind: 'install', aptGet });
    expect(locateBrowser({ ...bare, mayInstall: false })).toEqual({
      kind: 'missing',
      sentence: NO_BROWSER,
    });
    expect(locateBrowser({ ...bare, env: { PATH: dirs('bin') }, mayInstall: true })).toEqual({
      kind: 'missing',
      sentence: NO_BROWSER,
    });
    expect(locateBrowser({ ...bare, platform: 'darwin', mayInstall: true })).toEqual({
      kind: 'missing',
      sentence: NO_BROWSER,
    });
    // One sentence: no line breaks, one full stop at the end.
    expect(NO_BROWSER).not.toMatch(/\n/);
    expect(NO_BROWSER.match(/\.(\s|$)/g)).toHaveLength(1);
  });

  it('knows where each platform usually keeps Chrome', () => {
    expect(usualBrowserLocations('linux', {})).toContain('/usr/bin/chromium');
    expect(usualBrowserLocations('darwin', {})).toContain(
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    );
    expect(usualBrowserLocations('win32', { ProgramFiles: 'C:\\Program Files' })).toContain(
      'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    );
  });
});

/**
 * What `npm run dist` puts in a package, built for real by electron-builder from a staged copy
 * of the app (its main bundle, the desktop screens, electron-builder.yml, the real node_modules)
 * into Linux's unpacked `dir` target. Electron cannot be downloaded or run here, so a stand-in
 * executable carries the fuse wire of an Electron binary (@electron/fuses' sentinel, eight
 * fuses): electron-builder flips it as it would Electron's, and the test reads it back. The
 * native modules are not rebuilt here (that needs Electron's headers from the network); the
 * config test asserts `npmRebuild`.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { build, Platform } from 'electron-builder';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildMain } from '../../../scripts/build-main';
import { buildRenderer } from '../../e2e/support/renderer-build';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** @electron/fuses finds the wire after this string in Electron's binary. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron 40's eight V1 fuses, all on as in a binary nobody has flipped yet. */
const FUSE_COUNT = 8;
/** A fuse's byte in the wire: '1' on, '0' off (@electron/fuses' FuseState, not exported). */
const ON = 0x31;
const OFF = 0x30;

interface AsarEntry {
  files?: Record<string, AsarEntry>;
  offset?: string;
  size?: number;
  unpacked?: boolean;
}

/** The archive's files by path, read from its header (a pickled JSON index before the data). */
function readAsar(file: string) {
  const archive = readFileSync(file);
  const headerLength = archive.readUInt32LE(12);
  const header = JSON.parse(archive.subarray(16, 16 + headerLength).toString()) as AsarEntry;
  const dataStart = 8 + archive.readUInt32LE(4);
  const entries = new Map<string, AsarEntry>();
  const walk = (node: AsarEntry, prefix: string) => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      const path = prefix ? `${prefix}/${name}` : name;
      if (child.files) walk(child, path);
      else entries.set(path, child);
    }
  };
  walk(header, '');
  const text = (path: string) => {
    const entry = entries.get(path);
    if (!entry?.offset || entry.size === undefined) throw new Error(`${path} is not packed`);
    const start = dataStart + Number(entry.offset);
    return archive.subarray(start, start + entry.size).toString();
  };
  return { entries, text };
}

let stage: string;
let unpacked: string;

beforeAll(async () => {
  // Beside node_modules, so a hard-linked copy of it is possible whatever the machine's /tmp is.
  const cache = join(ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  stage = mkdtempSync(join(cache, 'wardline-package-'));
  const app = join(stage, 'app');
  mkdirSync(app);
  for (const name of ['package.json', 'electron-builder.yml', 'packaging'])
    cpSync(join(ROOT, name), join(app, name), { recursive: true });
  // A hard-linked copy, not a symlink: npm resolves a symlinked node_modules to paths outside the
  // app, lists every module as extraneous, and electron-builder then packs only the top modules.
  mkdirSync(join(app, 'node_modules'));
  for (const name of readdirSync(join(ROOT, 'node_modules')).filter((name) => name !== '.cache'))
    execFileSync('cp', ['-al', join(ROOT, 'node_modules', name), join(app, 'node_modules')]);
  await buildMain(join(app, 'dist', 'main'));
  cpSync(await buildRenderer('desktop'), join(app, 'dist', 'renderer'), { recursive: true });

  const electron = join(stage, 'electron');
  mkdirSync(electron);
  const wire = Buffer.from([1, FUSE_COUNT, ...Array<number>(FUSE_COUNT).fill(ON)]);
  writeFileSync(
    join(electron, 'electron'),
    Buffer.concat([Buffer.from('#!/bin/sh\nexit 1\n'), Buffer.from(FUSE_SENTINEL), wire]),
    { mode: 0o755 },
  );
  const electronVersion = z
    .object({ version: z.string() })
    .parse(
      JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')),
    ).version;
  await build({
    projectDir: app,
    targets: Platform.LINUX.createTarget('dir'),
    publish: 'never',
    config: {
      electronDist: electron,
      electronVersion,
      npmRebuild: false,
      directories: { output: join(stage, 'release') },
    },
  });
  unpacked = join(stage, 'release', 'linux-unpacked');
}, 600_000);

afterAll(() => {
  rmSync(stage, { recursive: true, force: true });
});

describe('the package npm run dist makes', () => {
  it('holds the main bundle, the desktop screens and the replica migrations, started from dist/main', () => {
    const asar = readAsar(join(unpacked, 'resources', 'app.asar'));
    const paths = [...asar.entries.keys()];
    expect(paths).toEqual(
      expect.arrayContaining([
        'dist/main/main.mjs',
        'dist/main/preload.cjs',
        'dist/renderer/index.html',
        'package.json',
      ]),
    );
    expect(paths.some((path) => path.startsWith('dist/main/migrations/'))).toBe(true);
    expect(JSON.parse(asar.text('package.json'))).toMatchObject({ main: 'dist/main/main.mjs' });
  });

  it('leaves out the server, sources, source maps and every module the bundle already holds', () => {
    const paths = [...readAsar(join(unpacked, 'resources', 'app.asar')).entries.keys()];
    expect(paths.filter((path) => /\.(map|c|cc|cpp|h|ts|cts|mts)$/.test(path))).toEqual([]);
    expect(paths.filter((path) => /^(server|main|shared|db|renderer)\//.test(path))).toEqual([]);
    const modules = new Set(
      paths
        .filter((path) => path.startsWith('node_modules/'))
        .map((path) =>
          path
            .split('/')
            .slice(1, path.startsWith('node_modules/@') ? 3 : 2)
            .join('/'),
        ),
    );
    expect([...modules].sort()).toEqual(
      [
        '@phc/format',
        'argon2',
        'better-sqlite3',
        'bindings',
        'file-uri-to-path',
        'node-gyp-build',
      ].sort(),
    );
  });

  it('keeps the native modules outside the archive, where they can be loaded', () => {
    const asar = readAsar(join(unpacked, 'resources', 'app.asar'));
    const natives = [...asar.entries].filter(([path]) => path.endsWith('.node'));
    // argon2 loads its own build or one of its prebuilt binaries, whichever npm left there.
    for (const module of ['node_modules/better-sqlite3/', 'node_modules/argon2/'])
      expect(
        natives.some(([path]) => path.startsWith(module)),
        module,
      ).toBe(true);
    for (const [path, entry] of natives) {
      expect(entry.unpacked, path).toBe(true);
      expect(
        readFileSync(join(unpacked, 'resources', 'app.asar.unpacked', path)).length,
      ).toBeGreaterThan(0);
    }
    expect(
      natives
        .map(([path]) => path)
        .filter((path) => path.startsWith('node_modules/better-sqlite3/')),
    ).toEqual(['node_modules/better-sqlite3/build/Release/better_sqlite3.node']);
  });

  it('has the fuses of Electron’s security checklist burnt into the executable', async () => {
    const wire = await getCurrentFuseWire(join(unpacked, 'wardline'));
    expect(wire).toMatchObject({
      [FuseV1Options.RunAsNode]: OFF,
      [FuseV1Options.EnableCookieEncryption]: ON,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: OFF,
      [FuseV1Options.EnableNodeCliInspectArguments]: OFF,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: ON,
      [FuseV1Options.OnlyLoadAppFromAsar]: ON,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: OFF,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: OFF,
    });
  });

  it('tells electron-updater to ask the hospital’s update server', () => {
    const updates: unknown = parse(
      readFileSync(join(unpacked, 'resources', 'app-update.yml'), 'utf8'),
    );
    expect(updates).toMatchObject({
      provider: 'generic',
      url: 'https://updates.hospital.example/wardline',
      channel: 'latest',
    });
  });
});

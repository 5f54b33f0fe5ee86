/**
 * electron-builder.yml, read as electron-builder reads it: valid against the configuration schema
 * shipped in its own package (app-builder-lib/scheme.json), and saying what hospital IT needs —
 * per-machine silent installers, signed and notarised Mac builds, Linux packages, native modules
 * outside the archive and rebuilt for Electron, the security fuses, the hospital's update server.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NSIS_UNINSTALLER_FILE } from '../../../main/updates/update-policy';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);
const schema: unknown = JSON.parse(
  readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'),
);
const config = parse(readFileSync(`${ROOT}electron-builder.yml`, 'utf8')) as Record<
  string,
  unknown
>;
const packageJson = z
  .object({
    scripts: z.record(z.string(), z.string()),
    dependencies: z.record(z.string(), z.string()),
    devDependencies: z.record(z.string(), z.string()),
  })
  .parse(JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')));

function validator() {
  // electron-builder's schema uses its own annotations (e.g. `deprecated`), hence strict: false.
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema as object);
}

const Target = z.object({ target: z.string(), arch: z.array(z.string()).optional() });
const targetsOf = (platform: string): string[] =>
  z
    .object({ target: z.array(z.union([z.string(), Target])) })
    .parse(config[platform])
    .target.map((entry) => (typeof entry === 'string' ? entry : entry.target));
const section = (name: string): Record<string, unknown> =>
  z.record(z.string(), z.unknown()).parse(config[name]);

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s own configuration schema', () => {
    const validate = validator();
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('is checked by a schema that refuses a misspelt option', () => {
    const validate = validator();
    const misspelt = { ...config, nsis: { ...section('nsis'), perMachin: true } };
    expect(validate(misspelt)).toBe(false);
  });

  it('builds per-machine NSIS and MSI installers for Windows that install silently', () => {
    expect(targetsOf('win')).toEqual(expect.arrayContaining(['nsis', 'msi']));
    // An assisted (not one-click) per-machine NSIS installer takes /S; an MSI takes /qn.
    expect(section('nsis')).toMatchObject({
      perMachine: true,
      oneClick: false,
      allowToChangeInstallationDirectory: false,
      runAfterFinish: false,
      deleteAppDataOnUninstall: false,
    });
    expect(section('msi')).toMatchObject({ perMachine: true, runAfterFinish: false });
    // A fixed upgrade code: each new MSI replaces the previous version instead of sitting beside it.
    expect(section('msi').upgradeCode).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    // The app tells an NSIS install from an MSI one by the uninstaller named after the product.
    expect(`Uninstall ${z.string().parse(config.productName)}.exe`).toBe(NSIS_UNINSTALLER_FILE);
    // electron-updater installs a Windows update only when signed by the build's publisher.
    expect(section('win').verifyUpdateCodeSignature).toBe(true);
  });

  it('builds a dmg for macOS with the hardened runtime and notarisation', () => {
    expect(targetsOf('mac')).toEqual(expect.arrayContaining(['dmg', 'zip']));
    const mac = section('mac');
    expect(mac).toMatchObject({ hardenedRuntime: true, notarize: true });
    const entitlements = z.string().parse(mac.entitlements);
    const plist = readFileSync(`${ROOT}${entitlements}`, 'utf8');
    expect(plist).toContain('com.apple.security.cs.allow-jit');
    // Library validation stays on: the native modules are signed with the app's identity.
    expect(plist).not.toContain('disable-library-validation');
  });

  it('builds deb, rpm and AppImage for Linux', () => {
    expect(targetsOf('linux')).toEqual(expect.arrayContaining(['deb', 'rpm', 'AppImage']));
  });

  it('packs the app into asar, with the native modules unpacked and rebuilt for Electron', () => {
    expect(config.asar).toBe(true);
    const unpacked = z.array(z.string()).parse(config.asarUnpack);
    expect(unpacked).toEqual(
      expect.arrayContaining([
        '**/*.node',
        'node_modules/better-sqlite3/**/*',
        'node_modules/argon2/**/*',
      ]),
    );
    const files = z.array(z.string()).parse(config.files);
    expect(files).toEqual(
      expect.arrayContaining([
        'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
        'node_modules/argon2/build/Release/argon2.node',
      ]),
    );
    // Rebuilt by @electron/rebuild against Electron's ABI, which it reads from the electron devDependency.
    expect(config.npmRebuild).toBe(true);
    expect(packageJson.devDependencies.electron).toMatch(/^\^?\d+\./);
    // The replica is SQLite3 Multiple Ciphers installed under better-sqlite3's name; both native
    // modules are runtime dependencies, the only ones electron-builder packs and rebuilds.
    expect(packageJson.dependencies['better-sqlite3']).toMatch(
      /^npm:better-sqlite3-multiple-ciphers@/,
    );
    expect(packageJson.dependencies.argon2).toBeDefined();
  });

  it('burns in the fuses of Electron’s security checklist', () => {
    expect(section('electronFuses')).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('publishes updates to the hospital’s own server (generic provider over https)', () => {
    const publish = section('publish');
    expect(publish.provider).toBe('generic');
    expect(z.string().parse(publish.url)).toMatch(/^https:\/\//);
  });

  it('has npm run build and npm run dist', () => {
    expect(packageJson.scripts.build).toContain('build:main');
    expect(packageJson.scripts.build).toContain('build:renderer');
    expect(packageJson.scripts.dist).toBe('tsx scripts/dist.ts');
  });
});

/**
 * When a workstation updates itself: the machine config first, then how it was installed; checks
 * at start and daily; the downloaded update installed at a quit only when nobody signed in still
 * has changes waiting for the server.
 */
import { describe, expect, it } from 'vitest';
import {
  decideUpdatePolicy,
  installAtQuit,
  installKindOf,
  nextUpdateCheckIn,
  UPDATE_CHECK_INTERVAL_MS,
  UPDATE_RETRY_MS,
  type InstallFacts,
} from '../../../main/updates/update-policy';

const installed: InstallFacts = {
  isPackaged: true,
  platform: 'win32',
  nsisUninstallerBesideApp: true,
  appImagePath: undefined,
  packageType: null,
};
const unset = { autoUpdate: null, updateUrl: null };
const HOSPITAL_SERVER = 'https://updates.ngh.example/wardline';

describe('how the app was installed', () => {
  it('tells NSIS from MSI on Windows by the uninstaller NSIS leaves beside the app', () => {
    expect(installKindOf(installed)).toBe('nsis');
    expect(installKindOf({ ...installed, nsisUninstallerBesideApp: false })).toBe('msi');
  });

  it('knows a dmg, an AppImage, a deb and an rpm, and a development run', () => {
    expect(installKindOf({ ...installed, platform: 'darwin' })).toBe('dmg');
    const linux = { ...installed, platform: 'linux' as const, nsisUninstallerBesideApp: false };
    expect(installKindOf({ ...linux, appImagePath: '/opt/Wardline.AppImage' })).toBe('appimage');
    expect(installKindOf({ ...linux, packageType: 'deb' })).toBe('deb');
    expect(installKindOf({ ...linux, packageType: 'rpm' })).toBe('rpm');
    expect(installKindOf(linux)).toBe('unpackaged');
    expect(installKindOf({ ...installed, isPackaged: false })).toBe('unpackaged');
  });
});

describe('whether a workstation updates itself', () => {
  it('by default, on where it installed itself and off where IT’s tools or the package manager update it', () => {
    expect(decideUpdatePolicy(unset, 'nsis')).toEqual({ updates: 'on', feedUrl: null });
    expect(decideUpdatePolicy(unset, 'dmg')).toEqual({ updates: 'on', feedUrl: null });
    expect(decideUpdatePolicy(unset, 'appimage')).toEqual({ updates: 'on', feedUrl: null });
    for (const kind of ['msi', 'deb', 'rpm'] as const)
      expect(decideUpdatePolicy(unset, kind)).toEqual({
        updates: 'off',
        reason: 'managed_install',
      });
  });

  it('as the machine config says: autoUpdate false is off everywhere', () => {
    for (const kind of ['nsis', 'msi', 'dmg', 'appimage', 'deb', 'rpm'] as const)
      expect(decideUpdatePolicy({ autoUpdate: false, updateUrl: HOSPITAL_SERVER }, kind)).toEqual({
        updates: 'off',
        reason: 'turned_off',
      });
  });

  it('as the machine config says: autoUpdate true or an update server turns it on, from that server', () => {
    expect(decideUpdatePolicy({ autoUpdate: true, updateUrl: null }, 'msi')).toEqual({
      updates: 'on',
      feedUrl: null,
    });
    expect(decideUpdatePolicy({ autoUpdate: null, updateUrl: HOSPITAL_SERVER }, 'rpm')).toEqual({
      updates: 'on',
      feedUrl: HOSPITAL_SERVER,
    });
  });

  it('never in a development run, whatever the config says', () => {
    expect(
      decideUpdatePolicy({ autoUpdate: true, updateUrl: HOSPITAL_SERVER }, 'unpackaged'),
    ).toEqual({ updates: 'off', reason: 'not_installed' });
  });
});

describe('when it looks for an update', () => {
  const start = Date.UTC(2026, 11, 1, 7, 0);

  it('at start, then a day after each check', () => {
    expect(nextUpdateCheckIn(null, start)).toBe(0);
    const checked = { at: start, failed: false };
    expect(nextUpdateCheckIn(checked, start + 1000)).toBe(UPDATE_CHECK_INTERVAL_MS - 1000);
    expect(nextUpdateCheckIn(checked, start + UPDATE_CHECK_INTERVAL_MS + 5)).toBe(0);
  });

  it('within the hour after a check that failed (offline, server down)', () => {
    expect(nextUpdateCheckIn({ at: start, failed: true }, start)).toBe(UPDATE_RETRY_MS);
  });
});

describe('installing the downloaded update as the app quits', () => {
  const waiting = { downloadedVersion: '0.2.0', session: 'signed_out' as const, unsentChanges: 0 };

  it('installs when nobody is signed in, even with changes still to send', () => {
    expect(installAtQuit(waiting)).toEqual({ install: true, version: '0.2.0' });
    expect(installAtQuit({ ...waiting, unsentChanges: 3 })).toEqual({
      install: true,
      version: '0.2.0',
    });
  });

  it('installs when the person signed in has nothing waiting for the server', () => {
    expect(installAtQuit({ ...waiting, session: 'active' })).toEqual({
      install: true,
      version: '0.2.0',
    });
  });

  it('waits for a later quit while a person is signed in, or locked, with unsent changes', () => {
    for (const session of ['active', 'locked'] as const)
      expect(installAtQuit({ ...waiting, session, unsentChanges: 1 })).toEqual({
        install: false,
        reason: 'unsent_changes',
      });
  });

  it('has nothing to install before a download finished', () => {
    expect(installAtQuit({ ...waiting, downloadedVersion: null })).toEqual({
      install: false,
      reason: 'nothing_downloaded',
    });
  });
});

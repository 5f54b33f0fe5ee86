/**
 * When a workstation updates itself (issue 16). The machine config decides, then how the app was
 * installed: an MSI is rolled out by IT's own tools (GPO, Intune, SCCM) and a deb or rpm by the
 * package manager, so those do not update themselves unless the config says so. When updates are
 * on, the app checks at start and daily, downloads in the background, and installs at the next
 * quit — never while a person is signed in with changes not yet on the server, who would lose
 * nothing but might be mid-shift on a machine that then restarts into a new version.
 * main/app/updates.ts wires electron-updater to these rules; docs/DEPLOYING.md.
 */
import type { MachineConfig } from '../config';
import type { SessionStatus } from '../auth/session';

/** What electron-builder's NSIS installer leaves beside the app (productName in electron-builder.yml). */
export const NSIS_UNINSTALLER_FILE = 'Uninstall Wardline.exe';

export type InstallKind = 'nsis' | 'msi' | 'dmg' | 'appimage' | 'deb' | 'rpm' | 'unpackaged';

/** What the running app can see of how it was installed. */
export interface InstallFacts {
  isPackaged: boolean;
  platform: NodeJS.Platform;
  /** Windows: the NSIS installer leaves `Uninstall Wardline.exe` beside the app; an MSI does not. */
  nsisUninstallerBesideApp: boolean;
  /** Linux: the AppImage runtime sets APPIMAGE to the image's path. */
  appImagePath: string | undefined;
  /** Linux: electron-builder writes `deb` or `rpm` into resources/package-type. */
  packageType: string | null;
}

export function installKindOf(facts: InstallFacts): InstallKind {
  if (!facts.isPackaged) return 'unpackaged';
  if (facts.platform === 'win32') return facts.nsisUninstallerBesideApp ? 'nsis' : 'msi';
  if (facts.platform === 'darwin') return 'dmg';
  if (facts.appImagePath) return 'appimage';
  if (facts.packageType === 'rpm') return 'rpm';
  if (facts.packageType === 'deb') return 'deb';
  // Unpacked on Linux without a package: nothing electron-updater knows how to replace.
  return 'unpackaged';
}

/** Installs that someone else (IT's deployment tool, the package manager) keeps up to date. */
const MANAGED_INSTALLS: ReadonlySet<InstallKind> = new Set(['msi', 'deb', 'rpm']);

export type UpdatesOffReason = 'not_installed' | 'turned_off' | 'managed_install';

export type UpdatePolicy =
  | { updates: 'off'; reason: UpdatesOffReason }
  /** `feedUrl` null: the update server built into the package (electron-builder.yml publish). */
  | { updates: 'on'; feedUrl: string | null };

export function decideUpdatePolicy(
  config: Pick<MachineConfig, 'autoUpdate' | 'updateUrl'>,
  kind: InstallKind,
): UpdatePolicy {
  if (kind === 'unpackaged') return { updates: 'off', reason: 'not_installed' };
  if (config.autoUpdate === false) return { updates: 'off', reason: 'turned_off' };
  const on: UpdatePolicy = { updates: 'on', feedUrl: config.updateUrl };
  // Saying autoUpdate: true, or naming an update server, is IT deciding for this machine.
  if (config.autoUpdate === true || config.updateUrl !== null) return on;
  return MANAGED_INSTALLS.has(kind) ? { updates: 'off', reason: 'managed_install' } : on;
}

export const UPDATE_CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** A workstation offline at its check tries again within the hour, not the next day. */
export const UPDATE_RETRY_MS = 60 * 60 * 1000;

export interface LastUpdateCheck {
  at: number;
  failed: boolean;
}

/** Milliseconds until the next check: at once after start, then daily (hourly after a failure). */
export function nextUpdateCheckIn(last: LastUpdateCheck | null, now: number): number {
  if (last === null) return 0;
  const due = last.at + (last.failed ? UPDATE_RETRY_MS : UPDATE_CHECK_INTERVAL_MS);
  return Math.max(0, due - now);
}

export interface QuitFacts {
  /** The version downloaded and waiting, or null. */
  downloadedVersion: string | null;
  session: SessionStatus['state'];
  /** Outbox mutations not yet accepted by the server. */
  unsentChanges: number;
}

export type QuitInstall =
  | { install: true; version: string }
  | { install: false; reason: 'nothing_downloaded' | 'unsent_changes' };

/**
 * Whether the downloaded update installs as the app quits now. A locked session is still a
 * person signed in: they come back to it. Kept for a later quit otherwise.
 */
export function installAtQuit(facts: QuitFacts): QuitInstall {
  if (facts.downloadedVersion === null) return { install: false, reason: 'nothing_downloaded' };
  const signedIn = facts.session !== 'signed_out';
  if (signedIn && facts.unsentChanges > 0) return { install: false, reason: 'unsent_changes' };
  return { install: true, version: facts.downloadedVersion };
}

/**
 * electron-updater wired to the update policy (main/updates/update-policy.ts), which decides
 * everything here: whether, from where, when to check, whether to install at this quit.
 * electron-updater downloads in the background, checks the download's sha512 against the
 * server's latest*.yml and, on Windows, installs only an installer signed by the publisher
 * recorded at build time (publisherName in app-update.yml); on macOS Squirrel.Mac requires the
 * same code signature as the running app. docs/DEPLOYING.md "Updates".
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { app } from 'electron';
import { autoUpdater } from 'electron-updater';
import type { MachineConfig } from '../config';
import { countPending } from '../sync/push';
import {
  decideUpdatePolicy,
  installAtQuit,
  installKindOf,
  nextUpdateCheckIn,
  NSIS_UNINSTALLER_FILE,
  type LastUpdateCheck,
} from '../updates/update-policy';
import type { Workstation } from '../workstation';

function packageType(): string | null {
  const file = join(process.resourcesPath, 'package-type');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
}

/** Registers its before-quit handler: call before anything that closes the replica at quit. */
export function wireUpdates(config: MachineConfig, workstation: Workstation): void {
  const kind = installKindOf({
    isPackaged: app.isPackaged,
    platform: process.platform,
    nsisUninstallerBesideApp: existsSync(join(dirname(app.getPath('exe')), NSIS_UNINSTALLER_FILE)),
    appImagePath: process.env.APPIMAGE,
    packageType: process.platform === 'linux' ? packageType() : null,
  });
  const policy = decideUpdatePolicy(config, kind);
  if (policy.updates === 'off') {
    console.info(`wardline: updates off (${policy.reason}, ${kind})`);
    return;
  }
  if (policy.feedUrl !== null)
    autoUpdater.setFeedURL({ provider: 'generic', url: policy.feedUrl, channel: 'latest' });
  autoUpdater.autoDownload = true;
  autoUpdater.allowDowngrade = false;
  autoUpdater.allowPrerelease = false;
  // On at download, so electron-updater arms its quit hook; decided again at each quit below.
  autoUpdater.autoInstallOnAppQuit = true;

  let downloadedVersion: string | null = null;
  autoUpdater.on('update-downloaded', (info) => {
    downloadedVersion = info.version;
  });
  autoUpdater.on('error', (error) => {
    console.warn(`wardline: update failed: ${error.message}`);
  });

  let last: LastUpdateCheck | null = null;
  const scheduleCheck = () => {
    setTimeout(
      () => {
        autoUpdater
          .checkForUpdates()
          .then(() => {
            last = { at: Date.now(), failed: false };
          })
          .catch(() => {
            last = { at: Date.now(), failed: true };
          })
          .finally(scheduleCheck);
      },
      nextUpdateCheckIn(last, Date.now()),
    ).unref();
  };
  scheduleCheck();

  app.on('before-quit', () => {
    const decision = installAtQuit({
      downloadedVersion,
      session: workstation.sessions.status().state,
      unsentChanges: countPending(workstation.db),
    });
    autoUpdater.autoInstallOnAppQuit = decision.install;
    if (!decision.install && decision.reason === 'unsent_changes')
      console.info(
        `wardline: update ${downloadedVersion ?? ''} kept for a later quit (unsent changes)`,
      );
  });
}

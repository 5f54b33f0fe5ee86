/**
 * The Electron main process: one instance per machine user, the key store checked and the
 * replica opened (decrypted and migrated) before any window exists, the hardened window, the IPC
 * bridge. Everything else lives in plain Node modules of main/ so it is tested without Electron.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserWindow } from 'electron';
import { app, dialog } from 'electron';
import { machineConfigPath, readMachineConfig } from '../config';
import { scheduleDowntimePacks, writeDowntimePacks } from '../downtime/scheduled-pack';
import { printHtmlToPdf } from './print-to-pdf';
import { WardError } from '../errors';
import { bootWorkstation } from '../boot';
import { decideLaunch, refusedSwitchMessage } from '../shell/launch-settings';
import { readHospitalCa } from '../sync/hospital-ca';
import { trustKeystore } from '../keystore-trust';
import { REPLICA_FILE } from '../replica';
import { replicaKeyFile } from '../replica-key';
import { wireIpc } from './ipc';
import { keystoreTokenStore } from './keystore-token';
import { keystoreFacts, safeStorageReplicaKeyStore } from './replica-key';
import { registerAppScheme, serveRenderer } from './protocol';
import { electronServerFetch } from './server-fetch';
import { wireUpdates } from './updates';
import { createMainWindow, denyPermissionRequests, guardAllWebContents } from './window';

// An installed build ignores WARDLINE_* overrides and refuses debugging switches (main/shell).
const launch = decideLaunch({
  env: process.env,
  argv: process.argv,
  isPackaged: app.isPackaged,
  platform: process.platform,
});
const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = launch.env.WARDLINE_RENDERER_DIR ?? join(here, '..', 'renderer');
const preloadPath = join(here, 'preload.cjs');

function fail(title: string, message: string): void {
  dialog.showErrorBox(title, message);
  app.exit(1);
}

if (launch.ignoredOverrides.length > 0) {
  console.warn(`wardline: installed build, ignoring ${launch.ignoredOverrides.join(', ')}`);
}
if (launch.refusedSwitches.length > 0) {
  fail('Wardline cannot start', refusedSwitchMessage(launch.refusedSwitches));
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  guardAllWebContents();
  let window: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => {
    app.quit();
  });
  void app.whenReady().then(async () => {
    try {
      // Fail closed: no patient data is opened with a key the OS key store cannot protect.
      const keystore = trustKeystore(keystoreFacts());
      if (!keystore.trusted) {
        fail('Wardline will not open patient data', keystore.reason);
        return;
      }
      const config = readMachineConfig(machineConfigPath(process.platform, launch.env));
      const userData = app.getPath('userData');
      const dataDir = join(userData, 'data');
      const booted = await bootWorkstation({
        dataDir,
        tokens: keystoreTokenStore(join(userData, 'device-token.bin')),
        replicaKeys: safeStorageReplicaKeyStore(replicaKeyFile(join(dataDir, REPLICA_FILE))),
        config,
        env: launch.env,
        fetch: electronServerFetch(config.caFile ? readHospitalCa(config.caFile) : null),
      });
      // Before the shutdown handler: the update decision at quit reads the open replica.
      wireUpdates(config, booted.workstation);
      app.on('before-quit', () => {
        void booted.shutdown();
      });
      if (config.downtimePack) {
        const schedule = config.downtimePack;
        const stop = scheduleDowntimePacks({
          everyMinutes: schedule.everyMinutes,
          write: () =>
            writeDowntimePacks({
              db: booted.workstation.db,
              schedule,
              now: new Date(),
              renderPdf: printHtmlToPdf,
            }),
          onError: (error) => {
            // The folder's trouble (a share gone, a full disk), never the pack's contents.
            const reason = error instanceof Error ? error.message : String(error);
            console.warn(`wardline: downtime pack not written: ${reason}`);
          },
        });
        app.on('before-quit', stop);
      }
      denyPermissionRequests();
      serveRenderer(rendererDir);
      wireIpc(booted.workstation);
      window = createMainWindow(preloadPath);
    } catch (error) {
      if (error instanceof WardError || (error instanceof Error && 'code' in error)) {
        fail('Wardline cannot start', error.message);
        return;
      }
      throw error;
    }
  });
}

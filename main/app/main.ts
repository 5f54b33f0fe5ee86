/**
 * The Electron main process: one instance per machine user, the replica opened (and migrated)
 * before any window exists, the hardened window, the IPC bridge. Everything else lives in plain
 * Node modules of main/ so it is tested without Electron.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserWindow } from 'electron';
import { app, dialog } from 'electron';
import { machineConfigPath, readMachineConfig } from '../config';
import { WardError } from '../errors';
import { bootWorkstation } from '../boot';
import { readHospitalCa } from '../sync/hospital-ca';
import { wireIpc } from './ipc';
import { keystoreTokenStore } from './keystore-token';
import { registerAppScheme, serveRenderer } from './protocol';
import { electronServerFetch } from './server-fetch';
import { createMainWindow, denyPermissionRequests } from './window';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = process.env.WARDLINE_RENDERER_DIR ?? join(here, '..', 'renderer');
const preloadPath = join(here, 'preload.cjs');

function fail(title: string, message: string): void {
  dialog.showErrorBox(title, message);
  app.exit(1);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
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
      const config = readMachineConfig(machineConfigPath());
      const userData = app.getPath('userData');
      const booted = await bootWorkstation({
        dataDir: join(userData, 'data'),
        tokens: keystoreTokenStore(join(userData, 'device-token.bin')),
        config,
        fetch: electronServerFetch(config.caFile ? readHospitalCa(config.caFile) : null),
      });
      app.on('before-quit', () => {
        void booted.shutdown();
      });
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

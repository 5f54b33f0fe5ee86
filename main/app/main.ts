/**
 * The Electron main process: one instance per machine user, the replica opened (and migrated)
 * before any window exists, the hardened window, the IPC bridge. Everything else lives in plain
 * Node modules of main/ so it is tested without Electron.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserWindow} from 'electron';
import { app, dialog } from 'electron';
import { machineConfigPath, readMachineConfig } from '../config';
import { WardError } from '../errors';
import { openReplica } from '../store';
import { createWorkstation } from '../workstation';
import { wireIpc } from './ipc';
import { registerAppScheme, serveRenderer } from './protocol';
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
  void app.whenReady().then(() => {
    try {
      const config = readMachineConfig(machineConfigPath());
      const db = openReplica(join(app.getPath('userData'), 'data'));
      // The sync engine (main/sync) will supply the online sign-in from config.serverUrl.
      const workstation = createWorkstation({ db, settings: config.settings });
      app.on('before-quit', () => {
        workstation.sessions.end('app_closed');
        db.$client.close();
      });
      denyPermissionRequests();
      serveRenderer(rendererDir);
      wireIpc(workstation);
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

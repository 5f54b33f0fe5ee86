/** Wires the Electron-free IPC adapter (main/ipc) to ipcMain; refusals go to the audit chain. */
import { ipcMain } from 'electron';
import { appRouter } from '../api/router';
import { createIpcAdapter } from '../ipc/electron-adapter';
import { createIpcHandler } from '../ipc/handler';
import { recordIpcRefusals } from '../ipc/refusal-audit';
import { APP_ORIGIN } from '../shell/app-origin';
import type { Workstation } from '../workstation';
import { IPC_CHANNEL } from '../../shared/ipc-protocol';

export function wireIpc(workstation: Workstation): void {
  const handler = createIpcHandler({
    router: appRouter,
    createContext: () => workstation,
    appOrigin: APP_ORIGIN,
    onRefused: recordIpcRefusals(workstation),
  });
  const adapter = createIpcAdapter(handler, IPC_CHANNEL);
  ipcMain.on(IPC_CHANNEL, (event, message: unknown) => {
    void adapter.receive(event, message);
  });
}

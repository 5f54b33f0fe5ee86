/** Wires the Electron-free IPC handler (main/ipc) to ipcMain, with the sender Electron reports. */
import { ipcMain, type IpcMainEvent } from 'electron';
import { appRouter } from '../api/router';
import { createIpcHandler } from '../ipc/handler';
import type { Workstation } from '../workstation';
import { IPC_CHANNEL } from '../../shared/ipc-protocol';
import { APP_ORIGIN } from './protocol';

export function wireIpc(workstation: Workstation): void {
  const handler = createIpcHandler({
    router: appRouter,
    createContext: () => workstation,
    appOrigin: APP_ORIGIN,
    onRefused: (reason, sender) => {
      console.warn(`wardline: refused an IPC message (${reason}) from ${sender.url}`);
    },
  });
  ipcMain.on(IPC_CHANNEL, (event: IpcMainEvent, message: unknown) => {
    const frame = event.senderFrame;
    const sender = {
      key: String(event.sender.id),
      url: frame?.url ?? '',
      isTopFrame: frame !== null && frame === event.sender.mainFrame,
    };
    void handler.handle(message, sender, (reply) => {
      if (!event.sender.isDestroyed()) event.reply(IPC_CHANNEL, reply);
    });
    event.sender.once('destroyed', () => {
      handler.forgetSender(sender.key);
    });
  });
}

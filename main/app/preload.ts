/**
 * The preload: one message bridge and nothing else (no ipcRenderer, no Node) on
 * `window.wardline`. The main process decides whether a message is answered.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNEL, type IpcBridge } from '../../shared/ipc-protocol';

const bridge: IpcBridge = {
  send: (message) => {
    ipcRenderer.send(IPC_CHANNEL, message);
  },
  onMessage: (listener) => {
    const handler = (_event: IpcRendererEvent, message: unknown) => {
      listener(message);
    };
    ipcRenderer.on(IPC_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('wardline', bridge);

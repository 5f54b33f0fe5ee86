/**
 * The Electron link: the preload's one bridge (`window.wardline`, main/app/preload.ts) carries
 * tRPC calls to the main process over IPC (shared/ipc-protocol.ts). Null where there is no bridge
 * (a browser): see transport.ts and transport-web.ts.
 */
import type { TRPCLink } from '@trpc/client';
import type { AppRouter } from '../../main/api/router';
import { ipcLink, type IpcBridge } from '../../shared/ipc-protocol';

declare global {
  interface Window {
    wardline?: IpcBridge;
  }
}

export function createIpcLink(): TRPCLink<AppRouter> | null {
  const bridge = window.wardline;
  if (typeof bridge?.send !== 'function' || typeof bridge.onMessage !== 'function') return null;
  return ipcLink<AppRouter>(bridge);
}

/**
 * The desktop app's transport: the preload's IPC bridge and nothing else. The production
 * renderer that Electron loads holds no HTTP client at all (its CSP forbids fetching anyway),
 * so nothing in it can be pointed at a network address. The browser build (`vite --mode web`:
 * harness, web demo, e2e) swaps this module for transport-web.ts; see vite.config.ts.
 */
import type { TRPCLink } from '@trpc/client';
import type { AppRouter } from '../../main/api/router';
import { ipcLink, type IpcBridge } from '../../shared/ipc-protocol';
import { createIpcLink } from './ipc-link';

const NO_BRIDGE =
  'This Wardline window is not connected to the app. Close Wardline and start it again; if this keeps happening, ask IT.';

/** Without the preload (a broken install) every call fails with a sentence, not a blank window. */
function unconnectedBridge(): IpcBridge {
  let answer: (message: unknown) => void = () => undefined;
  return {
    send: (message) => {
      queueMicrotask(() => {
        answer({
          type: 'error',
          id: message.id,
          error: { message: NO_BRIDGE, code: -32603, data: { appCode: 'not_connected' } },
        });
      });
    },
    onMessage: (listener) => {
      answer = listener;
      return () => {
        answer = () => undefined;
      };
    },
  };
}

export function createTransportLink(): TRPCLink<AppRouter> {
  return createIpcLink() ?? ipcLink<AppRouter>(unconnectedBridge());
}

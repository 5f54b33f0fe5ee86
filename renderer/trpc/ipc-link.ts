/**
 * The Electron link: the preload bridge (`window.wardline`) carries tRPC calls to the main
 * process over IPC.
 *
 * Not written yet: the bridge's contract (shared/ipc-protocol.ts, main/app/preload.ts) does not
 * exist at the time of writing. Until it does, this returns null and the client falls back to
 * HTTP on the page's origin, which is how the browser harness serves the renderer. When the
 * bridge lands, build a TRPCLink here that sends `{ id, type, path, input }` through it and
 * resolves with the bridge's answer.
 */
import type { TRPCLink } from '@trpc/client';
import type { AppRouter } from '../../main/api/router';

export function createIpcLink(): TRPCLink<AppRouter> | null {
  return null;
}

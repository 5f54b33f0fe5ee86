/**
 * The browser build's transport (harness, `npm run demo:web`, e2e): the app router over HTTP on
 * the page's own origin. Built only with `vite --mode web`, never into the desktop renderer.
 */
import { httpBatchLink, type TRPCLink } from '@trpc/client';
import type { AppRouter } from '../../main/api/router';
import { createIpcLink } from './ipc-link';

export function createTransportLink(): TRPCLink<AppRouter> {
  return createIpcLink() ?? httpBatchLink({ url: `${window.location.origin}/trpc` });
}

/**
 * What the window may open, decided here and only wired in main/app/window.ts: the renderer may
 * move between its own pages and nothing else. A compromised or confused renderer cannot load a
 * remote page into a window that holds the IPC bridge, open new windows, or have the OS open a
 * URL (no screen links outside the app today, so there is no allow-list for shell.openExternal;
 * adding one is a reviewed change to this file).
 */
import { isAppUrl } from './app-origin';

/** will-navigate, will-frame-navigate and will-redirect: only the app's own pages. */
export function isNavigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

export interface WindowOpenDecision {
  action: 'deny';
}

/** window.open and target=_blank: never a new window, never handed to the OS. */
export function decideWindowOpen(_url: string): WindowOpenDecision {
  return { action: 'deny' };
}

/** A <webview> would run content outside the sandbox rules of the window: never attached. */
export function isWebviewAllowed(): boolean {
  return false;
}

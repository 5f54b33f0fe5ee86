/**
 * The one window, and the rules for every web contents the app ever creates. Each decision
 * (options, navigation, new windows, permissions) is a plain function of main/shell, tested
 * without Electron; this file only hands Electron's events to them.
 */
import { app, BrowserWindow, session, type WebContents } from 'electron';
import { APP_ENTRY_URL } from '../shell/app-origin';
import { decideWindowOpen, isNavigationAllowed, isWebviewAllowed } from '../shell/navigation';
import { isDeviceAccessAllowed, isPermissionAllowed } from '../shell/permissions';
import { mainWindowOptions } from '../shell/window-options';

function guardContents(contents: WebContents): void {
  const refuseNavigation = (event: { preventDefault(): void }, url: string) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  };
  contents.on('will-navigate', refuseNavigation);
  contents.on('will-frame-navigate', (event) => {
    refuseNavigation(event, event.url);
  });
  contents.on('will-redirect', refuseNavigation);
  contents.on('will-attach-webview', (event) => {
    if (!isWebviewAllowed()) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => decideWindowOpen(url));
}

/** Before any window: every web contents (the window, a devtools or a would-be popup) is guarded. */
export function guardAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    guardContents(contents);
  });
}

export function createMainWindow(preloadPath: string): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions({ preloadPath, isPackaged: app.isPackaged }));
  window.once('ready-to-show', () => {
    window.show();
  });
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

/** Camera, microphone, notifications, geolocation, USB…: only what main/shell/permissions allows. */
export function denyPermissionRequests(): void {
  const ward = session.defaultSession;
  ward.setPermissionRequestHandler((contents, permission, callback) => {
    callback(isPermissionAllowed(permission, contents.getURL()));
  });
  ward.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin),
  );
  ward.setDevicePermissionHandler(() => isDeviceAccessAllowed());
}

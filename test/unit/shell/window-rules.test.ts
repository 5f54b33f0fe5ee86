/**
 * The window's security decisions as main/app hands them to Electron: its options, the CSP on
 * every app:// response, where it may navigate, new windows, permissions, webviews.
 */
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, isAppUrl } from '../../../main/shell/app-origin';
import {
  CONTENT_SECURITY_POLICY,
  RENDERER_RESPONSE_HEADERS,
} from '../../../main/shell/content-security-policy';
import {
  decideWindowOpen,
  isNavigationAllowed,
  isWebviewAllowed,
} from '../../../main/shell/navigation';
import {
  ALLOWED_PERMISSIONS,
  isDeviceAccessAllowed,
  isPermissionAllowed,
} from '../../../main/shell/permissions';
import { mainWindowOptions } from '../../../main/shell/window-options';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('the desktop window', () => {
  it('is sandboxed, isolated and without Node, webviews or insecure content', () => {
    const options = mainWindowOptions({ preloadPath: '/app/preload.cjs', isPackaged: true });
    expect(options.webPreferences).toEqual({
      preload: '/app/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: false,
    });
    expect(
      mainWindowOptions({ preloadPath: '/p', isPackaged: false }).webPreferences.devTools,
    ).toBe(true);
    expect(options.show).toBe(false);
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
  });

  it('serves every file with a CSP that allows no fetch, no inline or remote script, no frames', () => {
    const policy = directives(CONTENT_SECURITY_POLICY);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'none'"]);
    expect(policy.get('frame-src')).toEqual(["'none'"]);
    // pdf.js's worker, a file of the build; never blob:, data: or another origin.
    expect(policy.get('worker-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    // Mantine's run-time styles are the one relaxation, and only for styles.
    for (const [name, values] of policy) {
      if (name !== 'style-src') expect(values.join(' '), name).not.toMatch(/unsafe|\*|http/);
    }
    expect(RENDERER_RESPONSE_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(RENDERER_RESPONSE_HEADERS['X-Content-Type-Options']).toBe('nosniff');
  });

  it('navigates only between the app’s own pages', () => {
    expect(isNavigationAllowed('app://wardline/index.html#/ward')).toBe(true);
    for (const url of [
      'https://evil.example/',
      'http://127.0.0.1:5173/',
      'file:///etc/passwd',
      'app://wardline.evil.example/index.html',
      'app://user:pass@wardline/index.html',
      'app://other/index.html',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'about:blank',
      'not a url',
    ]) {
      expect(isNavigationAllowed(url), url).toBe(false);
    }
  });

  it('opens no new window and hands no URL to the operating system', () => {
    for (const url of [
      'https://drug-leaflets.example/ibuprofen',
      'app://wardline/x',
      'mailto:a@b',
    ]) {
      expect(decideWindowOpen(url)).toEqual({ action: 'deny' });
    }
    expect(isWebviewAllowed()).toBe(false);
  });

  it('grants no permission and no device access, even to the app itself', () => {
    expect(ALLOWED_PERMISSIONS).toEqual([]);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'clipboard-sanitized-write',
      'fullscreen',
      'openExternal',
      'hid',
      'serial',
      'usb',
    ]) {
      expect(isPermissionAllowed(permission, 'app://wardline/index.html'), permission).toBe(false);
    }
    expect(isDeviceAccessAllowed()).toBe(false);
  });
});

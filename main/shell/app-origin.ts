/**
 * The renderer's own origin, `app://wardline`: a real scheme and host (not file://) so the IPC
 * sender check, the navigation rule and the CSP can all name it.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'wardline';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Whether a URL is a page of the app itself. WHATWG gives custom schemes an opaque origin
 * ("null"), so scheme and host are compared instead; credentials or a port never belong to it.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/**
 * The policy on every response of app://wardline. The desktop renderer talks to the main process
 * only over the preload's IPC bridge, so it may not fetch anything (`connect-src 'none'`), run
 * inline or remote script, be framed or frame anything. Mantine injects its styles at run time,
 * hence the one relaxation, `'unsafe-inline'` for styles only. The one worker is pdf.js's, which
 * draws an attachment's PDF pages off the screen's thread (renderer/screens/chart/pdf-document.ts):
 * a file of our own build, so `worker-src 'self'`, and no blob: or data: workers.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'none'",
  "frame-src 'none'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers set on every file the app:// handler serves, over whatever the file read returned. */
export const RENDERER_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

/**
 * The renderer is served from `app://wardline/`, not file://, so it has a real origin the IPC
 * sender check can name, and every response carries the strict CSP. Which file answers a
 * request is decided by main/shell/renderer-files.ts (tested there); this only wires it.
 */
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { APP_SCHEME } from '../shell/app-origin';
import { RENDERER_RESPONSE_HEADERS } from '../shell/content-security-policy';
import { resolveRendererFile } from '../shell/renderer-files';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const answer = resolveRendererFile(rendererDir, request.url);
    if (answer.status === 403) return new Response('Forbidden', { status: 403 });
    if (answer.status === 404) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(answer.file).toString());
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(RENDERER_RESPONSE_HEADERS)) headers.set(name, value);
    return new Response(response.body, { status: response.status, headers });
  });
}

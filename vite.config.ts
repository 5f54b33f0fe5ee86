/**
 * The renderer's two builds, root renderer/, asset paths relative:
 * - `vite build` (desktop): dist/renderer, served by the Electron shell from app://wardline. Its
 *   only transport is the preload's IPC bridge (renderer/trpc/transport.ts) and its CSP allows
 *   no fetch at all.
 * - `vite build --mode web` (and the dev server): dist/renderer-web, served by the browser
 *   harness (test/harness/server.ts) to the web demo and the e2e tests; transport-web.ts adds
 *   tRPC over HTTP on the page's own origin, and the CSP allows exactly that origin.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('./renderer', import.meta.url));
const TRANSPORT = fileURLToPath(new URL('./renderer/trpc/transport.ts', import.meta.url));
const WEB_TRANSPORT = fileURLToPath(new URL('./renderer/trpc/transport-web.ts', import.meta.url));
const DESKTOP_CONNECT = "connect-src 'none'";

/** The browser build: the HTTP transport in place of the IPC-only one, and a CSP that allows it. */
function browserTransport(): Plugin {
  return {
    name: 'wardline-browser-transport',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || !/transport(\.ts)?$/.test(source)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === TRANSPORT ? WEB_TRANSPORT : null;
    },
    transformIndexHtml(html) {
      if (!html.includes(DESKTOP_CONNECT))
        throw new Error(`renderer/index.html must carry "${DESKTOP_CONNECT}" in its CSP`);
      return html.replace(DESKTOP_CONNECT, "connect-src 'self'");
    },
  };
}

// Vendor code changes far less often than ours and is large: split it by library so a screen
// change does not invalidate the whole cache, and no chunk crosses the size warning.
const VENDOR_GROUPS = [
  {
    name: 'vendor-charts',
    test: /node_modules[\\/](recharts|@mantine[\\/]charts|d3-|victory-vendor|decimal\.js-light|es-toolkit|@reduxjs|immer|reselect|redux)/,
  },
  {
    name: 'vendor-mantine',
    test: /node_modules[\\/](@mantine|@floating-ui|react-remove-scroll|react-number-format|react-textarea-autosize|dayjs|clsx|type-fest)/,
  },
  { name: 'vendor-data', test: /node_modules[\\/](@trpc|@tanstack|zustand|zod)/ },
  { name: 'vendor-react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
];

export default defineConfig(({ command, mode }) => {
  const web = mode === 'web' || command === 'serve';
  return {
    root,
    base: './',
    plugins: web ? [react(), browserTransport()] : [react()],
    build: {
      outDir: fileURLToPath(
        new URL(web ? './dist/renderer-web' : './dist/renderer', import.meta.url),
      ),
      emptyOutDir: true,
      sourcemap: false,
      // Chromium preloads modules itself; the polyfill would only add a fetch() to the bundle.
      modulePreload: { polyfill: false },
      rolldownOptions: {
        output: { codeSplitting: { groups: VENDOR_GROUPS } },
      },
    },
    // `npm run dev:renderer` (a browser build) next to the harness (`tsx test/harness/cli.ts`, port 5174).
    server: {
      port: 5173,
      strictPort: true,
      host: '127.0.0.1',
      proxy: { '/trpc': 'http://127.0.0.1:5174' },
    },
  };
});

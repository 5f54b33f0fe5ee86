/**
 * The renderer's build: root is renderer/, output dist/renderer. Served by the Electron shell
 * (file://) and by the browser harness (test/harness/server.ts), so asset paths are relative.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));

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

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      output: { codeSplitting: { groups: VENDOR_GROUPS } },
    },
  },
  // `npm run dev:renderer` next to the harness (`tsx test/harness/cli.ts`, port 5174).
  server: {
    port: 5173,
    strictPort: true,
    host: '127.0.0.1',
    proxy: { '/trpc': 'http://127.0.0.1:5174' },
  },
});

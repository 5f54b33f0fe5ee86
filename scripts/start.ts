/**
 * `npm start`: builds main + preload and launches Electron on them. Without the Electron binary
 * (installed with ELECTRON_SKIP_BINARY_DOWNLOAD) it says so and exits 1; `npm run harness`
 * serves the same API to a browser instead.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildMain } from './build-main';

function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const entry = await buildMain();
const binary = electronBinary();
if (!binary) {
  console.error(
    'The Electron binary is not installed (node_modules/electron has no dist), so the desktop app cannot start here.\n' +
      'Reinstall electron without ELECTRON_SKIP_BINARY_DOWNLOAD where downloads are allowed, or use `npm run harness` to serve the app to a browser.',
  );
  process.exit(1);
}
const child = spawn(binary, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));

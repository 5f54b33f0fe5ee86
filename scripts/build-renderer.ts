import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The renderer's production build: `desktop` into dist/renderer (what Electron loads: IPC
 * only), `web` into dist/renderer-web (what the web demo serves: HTTP to its own origin).
 */
export async function buildRenderer(target: 'desktop' | 'web'): Promise<string> {
  await execFileAsync(
    process.execPath,
    [
      `${ROOT}node_modules/vite/bin/vite.js`,
      'build',
      '--mode',
      target === 'web' ? 'web' : 'production',
      '--logLevel',
      'warn',
    ],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  return target === 'web' ? `${ROOT}dist/renderer-web` : `${ROOT}dist/renderer`;
}

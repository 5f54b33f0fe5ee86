import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The renderer's production build into dist/renderer (what the desktop app and the demo serve). */
export async function buildRenderer(): Promise<string> {
  await execFileAsync(
    process.execPath,
    [`${ROOT}node_modules/vite/bin/vite.js`, 'build', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  return `${ROOT}dist/renderer`;
}

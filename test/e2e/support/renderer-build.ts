/**
 * Builds the renderer for production once per source version and target. Parallel test files
 * may ask at the same time: each builds into its own folder and renames it into place, so
 * whoever wins, every file serves a complete build, and a later run with unchanged sources
 * builds nothing. The browser tests serve the `web` build (HTTP transport, as the web demo);
 * `desktop` is the bundle Electron loads (IPC only).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const REPO = resolve(import.meta.dirname, '../../..');
const SOURCES = ['renderer', 'shared', 'vite.config.ts', 'package-lock.json'];

function hashSources(): string {
  const hash = createHash('sha256');
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry));
      return;
    }
    hash.update(path).update(readFileSync(path));
  };
  for (const source of SOURCES) visit(join(REPO, source));
  return hash.digest('hex').slice(0, 16);
}

export type RendererTarget = 'web' | 'desktop';

export async function buildRenderer(kind: RendererTarget = 'web'): Promise<string> {
  const target = join(tmpdir(), `wardline-renderer-${kind}-${hashSources()}`);
  if (existsSync(join(target, 'index.html'))) return target;
  const scratch = `${target}.partial-${String(process.pid)}`;
  // A child process: vitest sets NODE_ENV=test, which would give a development build of React.
  const { stdout, stderr } = await execFileAsync(
    process.execPath,
    [
      join(REPO, 'node_modules/vite/bin/vite.js'),
      'build',
      '--mode',
      kind === 'web' ? 'web' : 'production',
      '--logLevel',
      'warn',
      '--outDir',
      scratch,
    ],
    { cwd: REPO, env: { ...process.env, NODE_ENV: 'production' } },
  );
  // At log level "warn" a clean build prints nothing; the issue asks for a build with no warnings.
  const printed = `${stdout}${stderr}`.trim();
  if (printed !== '')
    throw new Error(`The renderer's production build printed warnings:\n${printed}`);
  try {
    renameSync(scratch, target);
  } catch {
    // Another test file finished the same build first; theirs is identical.
    rmSync(scratch, { recursive: true, force: true });
  }
  return target;
}

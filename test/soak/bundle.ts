/**
 * The soak's child processes (the writer, the sync, the server CLI) bundled once per process with
 * esbuild into plain ES modules, so each of the thousands of spawns starts Node on one file
 * (about 0.2 s) instead of compiling the TypeScript tree through tsx's loader (about 1.5–2 s).
 * The code that runs is the same source; only the loading differs.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const CHILD_SOURCES = {
  writer: fileURLToPath(new URL('./children/commit-child.ts', import.meta.url)),
  sync: fileURLToPath(new URL('./children/sync-child.ts', import.meta.url)),
  cli: fileURLToPath(new URL('../../server/cli.ts', import.meta.url)),
} as const;

export type ChildName = keyof typeof CHILD_SOURCES;

/**
 * `import.meta.url` keeps meaning the source file (the migrations folders are found beside
 * their migrate.ts), not the bundle.
 */
const sourceUrls: Plugin = {
  name: 'source-import-meta-url',
  setup(plugin) {
    plugin.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      return {
        contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: 'ts',
      };
    });
  },
};

let bundled: Promise<Record<ChildName, string>> | null = null;

/**
 * Bundles the children (once per process) under node_modules/.cache, where their packages
 * (better-sqlite3, pg, …) resolve as they do from the sources; removed when this process exits.
 */
export function childBundles(): Promise<Record<ChildName, string>> {
  bundled ??= (async () => {
    const outdir = join(ROOT, 'node_modules', '.cache', `wardline-soak-${randomUUID()}`);
    mkdirSync(outdir, { recursive: true });
    process.once('exit', () => {
      if (existsSync(outdir)) rmSync(outdir, { recursive: true, force: true });
    });
    await build({
      entryPoints: CHILD_SOURCES,
      outdir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      plugins: [sourceUrls],
      logLevel: 'error',
    });
    return {
      writer: join(outdir, 'writer.mjs'),
      sync: join(outdir, 'sync.mjs'),
      cli: join(outdir, 'cli.mjs'),
    };
  })();
  return bundled;
}

/** The arguments of `node` to run a child: its bundle, then `args`. */
export async function childArgs(name: ChildName, args: string[]): Promise<string[]> {
  return [(await childBundles())[name], ...args];
}

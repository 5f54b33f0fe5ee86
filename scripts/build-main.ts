/**
 * `npm run build:main`: bundles the Electron main process and the preload with esbuild into
 * dist/main, with the replica's migrations beside them. Native modules stay external.
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Into dist/main, or `out` (the packaging test builds a staged copy of the app). */
export async function buildMain(out = `${root}dist/main`): Promise<string> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  } as const;
  await build({
    ...common,
    entryPoints: [`${root}main/app/main.ts`],
    outfile: `${out}/main.mjs`,
    format: 'esm',
    external: ['electron', 'better-sqlite3', 'argon2'],
    // Bundled ESM still meets CommonJS dependencies that call require().
    banner: {
      js: "import { createRequire as __wardlineRequire } from 'node:module'; const require = __wardlineRequire(import.meta.url);",
    },
  });
  // A sandboxed preload must be a single CommonJS file that only requires electron.
  await build({
    ...common,
    entryPoints: [`${root}main/app/preload.ts`],
    outfile: `${out}/preload.cjs`,
    format: 'cjs',
    external: ['electron'],
  });
  cpSync(`${root}db/local/migrations`, `${out}/migrations`, { recursive: true });
  return `${out}/main.mjs`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`built ${await buildMain()}`);
}

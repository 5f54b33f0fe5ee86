/**
 * Fails when a drizzle schema changed without a generated migration: drizzle-kit is asked to
 * generate into a scratch copy of each journal, and any new file means one is missing.
 * Run by `npm test`; fix with `npm run db:generate`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const databases = [
  { name: 'local (SQLite)', dialect: 'sqlite', folder: 'db/local' },
  { name: 'central (PostgreSQL)', dialect: 'postgresql', folder: 'db/central' },
] as const;

const listFiles = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();

let missing = 0;
for (const database of databases) {
  // drizzle-kit only accepts an output folder relative to the working directory.
  mkdirSync('node_modules/.cache', { recursive: true });
  const scratch = relative('.', mkdtempSync('node_modules/.cache/wardline-migrations-'));
  try {
    cpSync(join(database.folder, 'migrations'), scratch, { recursive: true });
    const before = listFiles(scratch);
    execFileSync(
      'npx',
      [
        'drizzle-kit',
        'generate',
        '--dialect',
        database.dialect,
        '--schema',
        join(database.folder, 'schema/index.ts'),
        '--out',
        scratch,
        '--casing',
        'snake_case',
      ],
      { stdio: 'pipe' },
    );
    const added = listFiles(scratch).filter((file) => !before.includes(file));
    if (added.length > 0) {
      missing += 1;
      console.error(
        `✗ ${database.name}: the schema changed without a migration (${added.join(', ')}).`,
      );
    } else {
      console.log(`✓ ${database.name}: migrations match the schema.`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
if (missing > 0) {
  console.error('Run `npm run db:generate` and commit the new migration.');
  process.exit(1);
}

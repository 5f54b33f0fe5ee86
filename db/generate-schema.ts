/**
 * Writes the drizzle schemas of the synced tables from the catalog (shared/catalog): one file per
 * area in db/local/schema and db/central/schema, and db/{local,central}/synced-tables.ts.
 * `npm run db:schema` writes them (`npm run db:generate` does, before drizzle-kit); with
 * `--check` (run by `npm test`) it changes nothing and fails when a committed file is stale.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { SYNCED_TABLES } from '../shared/catalog';
import { DIALECTS } from './from-catalog/dialects';
import { areasOf, GENERATED_MARK, renderArea, renderSyncedTablesMap } from './from-catalog/render';

async function formatted(file: string, source: string): Promise<string> {
  const options = await prettier.resolveConfig(file);
  return prettier.format(source, { ...options, filepath: file });
}

/** Every generated file, path → content. */
async function expectedFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const dialect of DIALECTS) {
    for (const area of areasOf(SYNCED_TABLES)) {
      const file = join(dialect.folder, 'schema', `${area}.ts`);
      files.set(file, await formatted(file, renderArea(dialect, SYNCED_TABLES, area)));
    }
    const map = join(dialect.folder, 'synced-tables.ts');
    files.set(map, await formatted(map, renderSyncedTablesMap(dialect, SYNCED_TABLES)));
  }
  return files;
}

/** Generated files of an area the catalog no longer has. */
function orphans(expected: Map<string, string>): string[] {
  return DIALECTS.flatMap((dialect) => {
    const folder = join(dialect.folder, 'schema');
    return readdirSync(folder)
      .map((name) => join(folder, name))
      .filter((file) => !expected.has(file) && readFileSync(file, 'utf8').includes(GENERATED_MARK));
  });
}

/** Each schema folder's index.ts must export every area, or drizzle-kit never sees its tables. */
function unexportedAreas(): string[] {
  return DIALECTS.flatMap((dialect) => {
    const index = readFileSync(join(dialect.folder, 'schema', 'index.ts'), 'utf8');
    return areasOf(SYNCED_TABLES)
      .filter((area) => !index.includes(`export * from './${area}';`))
      .map((area) => `${dialect.folder}/schema/index.ts lacks export * from './${area}';`);
  });
}

const expected = await expectedFiles();
const stale = [...expected].filter(
  ([file, content]) => !existsSync(file) || readFileSync(file, 'utf8') !== content,
);
const extra = orphans(expected);

if (process.argv.includes('--check')) {
  const problems = [
    ...stale.map(([file]) => `✗ ${file} does not match the catalog.`),
    ...extra.map((file) => `✗ ${file} was generated for an area the catalog no longer has.`),
    ...unexportedAreas().map((line) => `✗ ${line}`),
  ];
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    console.error('Run `npm run db:generate` and commit the result.');
    process.exit(1);
  }
  console.log('✓ the drizzle schemas of the synced tables match the catalog.');
} else {
  for (const [file, content] of stale) {
    writeFileSync(file, content);
    console.log(`wrote ${file}`);
  }
  for (const file of extra) {
    rmSync(file);
    console.log(`removed ${file}`);
  }
  for (const line of unexportedAreas()) console.error(`✗ ${line} (add it by hand)`);
}

/**
 * A copy of the catalog carried all the way to SQL: its drizzle schemas rendered by the same
 * generator as `npm run db:schema` into a scratch folder, loaded, and diffed by drizzle-kit against
 * the committed schema, which gives the statements `npm run db:generate` would write.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import {
  generateDrizzleJson,
  generateMigration,
  generateSQLiteDrizzleJson,
  generateSQLiteMigration,
} from 'drizzle-kit/api';
import { DIALECTS, type Dialect } from '../../db/from-catalog/dialects';
import { areasOf, GENERATED_MARK, renderArea } from '../../db/from-catalog/render';
import type { SyncedTable } from '../../shared/catalog/table';

const ROOT = resolve(import.meta.dirname, '../..');

/** The hand-written schema files of a folder (tables that are not synced). */
function handWritten(dialect: Dialect): string[] {
  const folder = join(ROOT, dialect.folder, 'schema');
  return readdirSync(folder)
    .filter((name) => name.endsWith('.ts') && !['index.ts', 'columns.ts'].includes(name))
    .filter((name) => !readFileSync(join(folder, name), 'utf8').includes(GENERATED_MARK))
    .map((name) => join(folder, name.replace(/\.ts$/, '')));
}

export interface RenderedCopy {
  /** The rendered source of each area file, by dialect and area. */
  sources: Record<Dialect['name'], Record<string, string>>;
  /** The statements drizzle-kit would generate for each database, were the copy the catalog. */
  statements: Record<Dialect['name'], string[]>;
  remove(): void;
}

/** The SQL drizzle-kit generates to take a database from the `before` schema to `after`. */
async function statementsBetween(
  dialect: Dialect,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Promise<string[]> {
  if (dialect.name === 'sqlite') {
    return generateSQLiteMigration(
      await generateSQLiteDrizzleJson(before, undefined, 'snake_case'),
      await generateSQLiteDrizzleJson(after, undefined, 'snake_case'),
    );
  }
  return generateMigration(
    generateDrizzleJson(before, undefined, undefined, 'snake_case'),
    generateDrizzleJson(after, undefined, undefined, 'snake_case'),
  );
}

export async function renderCatalogCopy(catalog: readonly SyncedTable[]): Promise<RenderedCopy> {
  const scratch = mkdtempSync(join(tmpdir(), 'wardline-catalog-copy-'));
  // Bare imports (drizzle-orm) from the scratch folder resolve to this checkout's packages.
  symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  const sources = { sqlite: {}, postgres: {} } as RenderedCopy['sources'];
  const statements = { sqlite: [], postgres: [] } as RenderedCopy['statements'];
  for (const dialect of DIALECTS) {
    const folder = join(scratch, dialect.name);
    const real = join(ROOT, dialect.folder, 'schema');
    const from = (target: string) => {
      const path = relative(folder, target);
      return path.startsWith('.') ? path : `./${path}`;
    };
    const paths = {
      catalog: from(join(ROOT, 'shared/catalog')),
      columns: from(join(real, 'columns')),
      syncedTables: from(join(ROOT, 'shared/synced-tables')),
      schema: './index',
    };
    mkdirSync(folder, { recursive: true });
    const exports: string[] = [];
    for (const area of areasOf(catalog)) {
      const source = renderArea(dialect, catalog, area, paths);
      sources[dialect.name][area] = source;
      writeFileSync(join(folder, `${area}.ts`), source);
      exports.push(`export * from './${area}';`);
    }
    for (const file of handWritten(dialect)) exports.push(`export * from '${from(file)}';`);
    writeFileSync(join(folder, 'index.ts'), exports.join('\n'));
    const committed = (await import(join(real, 'index.ts'))) as Record<string, unknown>;
    const copy = (await import(join(folder, 'index.ts'))) as Record<string, unknown>;
    statements[dialect.name] = await statementsBetween(dialect, committed, copy);
  }
  return {
    sources,
    statements,
    remove: () => {
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

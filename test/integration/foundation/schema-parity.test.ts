/**
 * Every synced table as the catalog declares it, as its zod schema checks it, and as the two
 * migrated databases really hold it: the same columns in the same order, with matching types,
 * nullability, defaults, references, checks and indexes. Read from the databases themselves, so a
 * hand-edited schema or migration cannot slip past.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SYNCED_TABLES } from '../../../shared/catalog';
import type { ColumnKind, ColumnSpec } from '../../../shared/catalog/columns';
import { checksOf, snakeCase, splitSql } from '../../../shared/catalog/constraints';
import type { SyncedTable } from '../../../shared/catalog/table';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import {
  defaultValue,
  postgresTableInfo,
  sqliteTableInfo,
  type ForeignKeyInfo,
  type TableInfo,
} from '../../support/schema-introspection';
import { createTestReplica, type TestReplica } from '../../support/sqlite';

const SQLITE_TYPE: Record<ColumnKind, string> = {
  uuid: 'text',
  text: 'text',
  enum: 'text',
  integer: 'integer',
  real: 'real',
  boolean: 'integer',
  timestamp: 'text',
  date: 'text',
  json: 'text',
};

const POSTGRES_TYPE: Record<ColumnKind, string> = {
  uuid: 'uuid',
  text: 'text',
  enum: 'text',
  integer: 'integer',
  real: 'double precision',
  boolean: 'boolean',
  timestamp: 'timestamp with time zone(3)',
  date: 'date',
  json: 'jsonb',
};

interface Expected {
  key: string;
  spec: Pick<ColumnSpec, 'kind' | 'nullable' | 'default'>;
}

/** The sync columns every synced row carries, then the table's own, in the order of both DBs. */
function expectedColumns(table: SyncedTable): Expected[] {
  const own = (kind: ColumnKind, nullable: boolean) => ({ kind, nullable });
  return [
    { key: 'id', spec: own('uuid', false) },
    {
      key: 'hospitalId',
      spec: own('uuid', table.hospitalId === 'none' || table.hospitalId === 'nullable'),
    },
    { key: 'version', spec: own('integer', false) },
    { key: 'createdAt', spec: own('timestamp', false) },
    { key: 'updatedAt', spec: own('timestamp', false) },
    { key: 'deletedAt', spec: own('timestamp', true) },
    { key: 'updatedBy', spec: own('uuid', true) },
    ...Object.entries(table.columns).map(([key, column]) => ({ key, spec: column.spec })),
  ];
}

const SYNC_DEFAULTS = {
  sqlite: {
    version: '0',
    created_at: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    updated_at: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
  },
  // The server numbers versions from 1; a replica's own rows are 0 until the server answers.
  postgres: { version: '1', created_at: 'now()', updated_at: 'now()' },
};

function expectedForeignKeys(table: SyncedTable): ForeignKeyInfo[] {
  const keys: ForeignKeyInfo[] = [];
  if (table.hospitalId === 'required' || table.hospitalId === 'nullable') {
    keys.push({
      column: 'hospital_id',
      table: 'hospitals',
      to: 'id',
      onDelete: 'restrict',
      onUpdate: 'no action',
    });
  }
  for (const [key, column] of Object.entries(table.columns)) {
    const reference = column.spec.references;
    if (!reference) continue;
    keys.push({
      column: snakeCase(key),
      table: reference.table,
      to: snakeCase(reference.column),
      onDelete: reference.onDelete,
      onUpdate: reference.onUpdate ?? 'no action',
    });
  }
  return keys;
}

const byColumn = (keys: ForeignKeyInfo[]) =>
  [...keys].sort((a, b) => a.column.localeCompare(b.column));

/** The kind of column a zod schema checks, by the schema zod built for it. */
function zodKind(schema: z.ZodType): string {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodNullable || inner instanceof z.ZodDefault) {
    inner = inner.unwrap() as z.ZodType;
  }
  if (inner instanceof z.ZodUUID) return 'uuid';
  if (inner instanceof z.ZodISODateTime) return 'timestamp';
  if (inner instanceof z.ZodISODate) return 'date';
  if (inner instanceof z.ZodEnum) return 'enum';
  if (inner instanceof z.ZodString || inner instanceof z.ZodEmail) return 'text';
  if (inner instanceof z.ZodNumber) return inner.format === 'safeint' ? 'integer' : 'real';
  if (inner instanceof z.ZodBoolean) return 'boolean';
  return 'json';
}

/** The literal values a catalog check names ('discharged', 0.3, 500), each DB renders its own way. */
const literalsOf = (fragment: string) =>
  splitSql(fragment)
    .text.join(' ')
    .match(/'[^']*'|\b\d+(\.\d+)?\b/g) ?? [];

describe('each synced table', () => {
  let central: TestDatabase;
  let replica: TestReplica;
  beforeAll(async () => {
    central = await createTestDatabase();
    replica = createTestReplica();
  });
  afterAll(async () => {
    await central.drop();
    replica.close();
  });

  const both = async (table: string): Promise<{ sqlite: TableInfo; postgres: TableInfo }> => ({
    sqlite: sqliteTableInfo(replica.db.$client, table),
    postgres: await postgresTableInfo(central.db, table),
  });

  const catalog: readonly SyncedTable[] = SYNCED_TABLES;
  describe.each(catalog.map((t) => [t.name, t] as const))('%s', (name, table) => {
    it('has the catalog’s columns, types, nullability and defaults in SQLite and PostgreSQL', async () => {
      const { sqlite, postgres } = await both(name);
      const expected = expectedColumns(table);
      expect(sqlite.columns.map((c) => c.name)).toEqual(expected.map((c) => snakeCase(c.key)));
      expect(postgres.columns.map((c) => c.name)).toEqual(expected.map((c) => snakeCase(c.key)));
      expected.forEach(({ key, spec }, i) => {
        const [lite, pg] = [sqlite.columns[i], postgres.columns[i]];
        const where = `${name}.${key}`;
        expect({ where, type: lite?.type, nullable: lite?.nullable }).toEqual({
          where,
          type: SQLITE_TYPE[spec.kind],
          nullable: spec.nullable,
        });
        expect({ where, type: pg?.type, nullable: pg?.nullable }).toEqual({
          where,
          type: POSTGRES_TYPE[spec.kind],
          nullable: spec.nullable,
        });
        const syncDefault = (db: 'sqlite' | 'postgres') =>
          (SYNC_DEFAULTS[db] as Record<string, string | undefined>)[snakeCase(key)];
        if (syncDefault('sqlite') !== undefined) {
          expect(lite?.default?.replace(/^\((.*)\)$/, '$1')).toBe(syncDefault('sqlite'));
          expect(pg?.default).toBe(syncDefault('postgres'));
          return;
        }
        const value = (text: string | null | undefined): unknown => {
          const parsed = defaultValue(text ?? null);
          return spec.kind === 'json' && typeof parsed === 'string'
            ? (JSON.parse(parsed) as unknown)
            : parsed;
        };
        expect({ where, default: value(lite?.default) }).toEqual({
          where,
          default: spec.default?.value,
        });
        expect({ where, default: value(pg?.default) }).toEqual({
          where,
          default: spec.default?.value,
        });
      });
    });

    it('refers to the same tables, with the same actions, in SQLite and PostgreSQL', async () => {
      const { sqlite, postgres } = await both(name);
      const expected = byColumn(expectedForeignKeys(table));
      expect(byColumn(sqlite.foreignKeys)).toEqual(expected);
      expect(byColumn(postgres.foreignKeys)).toEqual(expected);
    });

    it('has the catalog’s checks and indexes in SQLite and PostgreSQL', async () => {
      const { sqlite, postgres } = await both(name);
      const checks = checksOf(table);
      expect(Object.keys(sqlite.checks).sort()).toEqual(checks.map((c) => c.name).sort());
      expect(Object.keys(postgres.checks).sort()).toEqual(checks.map((c) => c.name).sort());
      for (const check of checks) {
        for (const literal of literalsOf(check.sql)) {
          expect(sqlite.checks[check.name]).toContain(literal);
          expect(postgres.checks[check.name]).toContain(literal);
        }
      }
      const uniques = Object.values(table.columns).flatMap((c) => c.spec.unique ?? []);
      const names = (indexes: readonly { name: string }[]) => indexes.map((i) => i.name);
      expect(sqlite.indexes).toEqual(
        [...names(table.indexes), ...names(table.sqlite.indexes), ...uniques].sort(),
      );
      expect(postgres.indexes).toEqual(
        [...names(table.indexes), ...names(table.postgres.indexes), ...uniques].sort(),
      );
    });

    it('has a zod schema with the catalog’s columns, kinds, values and nullability', () => {
      const shape = table.fields.shape as Record<string, z.ZodType>;
      expect(Object.keys(shape)).toEqual(Object.keys(table.columns));
      for (const [key, column] of Object.entries(table.columns)) {
        const schema = shape[key];
        if (!schema) throw new Error(`${name}.${key} has no zod schema`);
        expect({ key, kind: zodKind(schema), nullable: schema.safeParse(null).success }).toEqual({
          key,
          kind: column.spec.kind,
          nullable: column.spec.nullable,
        });
        let inner: z.ZodType = schema;
        if (inner instanceof z.ZodNullable) inner = inner.unwrap() as z.ZodType;
        if (inner instanceof z.ZodEnum) expect(inner.options).toEqual(column.spec.values);
      }
    });
  });
});

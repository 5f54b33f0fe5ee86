/**
 * What a migrated database says about a table (columns with type, nullability and default;
 * foreign keys; CHECK constraints; indexes), read from the database itself, in one shape for
 * SQLite and PostgreSQL, so tests can hold both against the catalog.
 */
import type Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';

export interface ColumnInfo {
  name: string;
  type: string;
  nullable: boolean;
  /** The default as SQL text, or null. */
  default: string | null;
}

export interface ForeignKeyInfo {
  column: string;
  table: string;
  to: string;
  onDelete: string;
  onUpdate: string;
}

export interface TableInfo {
  columns: ColumnInfo[];
  foreignKeys: ForeignKeyInfo[];
  /** CHECK constraint name → its SQL. */
  checks: Record<string, string>;
  indexes: string[];
}

export function sqliteTableInfo(db: Database.Database, table: string): TableInfo {
  const columns = db
    .prepare<
      [string],
      { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }
    >('select name, type, "notnull", dflt_value, pk from pragma_table_info(?) order by cid')
    .all(table)
    .map((c) => ({
      name: c.name,
      type: c.type.toLowerCase(),
      nullable: c.notnull === 0 && c.pk === 0,
      default: c.dflt_value,
    }));
  const foreignKeys = db
    .prepare<
      [string],
      { from: string; table: string; to: string; on_delete: string; on_update: string }
    >('select "from", "table", "to", on_delete, on_update from pragma_foreign_key_list(?)')
    .all(table)
    .map((fk) => ({
      column: fk.from,
      table: fk.table,
      to: fk.to,
      onDelete: fk.on_delete.toLowerCase(),
      onUpdate: fk.on_update.toLowerCase(),
    }));
  const definition =
    db
      .prepare<[string], { sql: string }>(
        "select sql from sqlite_master where type = 'table' and name = ?",
      )
      .get(table)?.sql ?? '';
  const checks: Record<string, string> = {};
  for (const match of definition.matchAll(/CONSTRAINT "(\w+)" CHECK\((.*)\)/g)) {
    checks[match[1] ?? ''] = match[2] ?? '';
  }
  const indexes = db
    .prepare<[string], { name: string }>(
      "select name from sqlite_master where type = 'index' and tbl_name = ? and sql is not null",
    )
    .all(table)
    .map((row) => row.name);
  return { columns, foreignKeys, checks, indexes: indexes.sort() };
}

const ACTIONS: Record<string, string> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

export async function postgresTableInfo(
  db: NodePgDatabase<Record<string, unknown>>,
  table: string,
): Promise<TableInfo> {
  const columns = await db.execute<{
    column_name: string;
    data_type: string;
    datetime_precision: number | null;
    is_nullable: string;
    column_default: string | null;
  }>(sql`select column_name, data_type, datetime_precision, is_nullable, column_default
           from information_schema.columns
          where table_schema = current_schema() and table_name = ${table}
          order by ordinal_position`);
  const constraints = await db.execute<{
    name: string;
    type: string;
    definition: string;
    columns: string[];
    ref_table: string | null;
    ref_columns: string[] | null;
    on_delete: string;
    on_update: string;
  }>(sql`select c.conname as name, c.contype as type, pg_get_constraintdef(c.oid) as definition,
                array(select a.attname::text from unnest(c.conkey) k
                        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k) as columns,
                c.confrelid::regclass::text as ref_table,
                array(select a.attname::text from unnest(c.confkey) k
                        join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k) as ref_columns,
                c.confdeltype as on_delete, c.confupdtype as on_update
           from pg_constraint c
          where c.conrelid = ${table}::regclass`);
  const indexes = await db.execute<{ name: string }>(
    sql`select indexname as name from pg_indexes
         where schemaname = current_schema() and tablename = ${table} and indexname <> ${`${table}_pkey`}`,
  );
  return {
    columns: columns.rows.map((c) => ({
      name: c.column_name,
      type:
        c.data_type === 'timestamp with time zone'
          ? `${c.data_type}(${String(c.datetime_precision)})`
          : c.data_type,
      nullable: c.is_nullable === 'YES',
      default: c.column_default,
    })),
    foreignKeys: constraints.rows
      .filter((c) => c.type === 'f')
      .map((c) => ({
        column: c.columns[0] ?? '',
        table: c.ref_table ?? '',
        to: c.ref_columns?.[0] ?? '',
        onDelete: ACTIONS[c.on_delete] ?? c.on_delete,
        onUpdate: ACTIONS[c.on_update] ?? c.on_update,
      })),
    checks: Object.fromEntries(
      constraints.rows.filter((c) => c.type === 'c').map((c) => [c.name, c.definition]),
    ),
    indexes: indexes.rows.map((row) => row.name).sort(),
  };
}

/** A SQL default literal as a value: `'a'::text` → 'a', `'[]'::jsonb` → '[]', `0` → 0. */
export function defaultValue(text: string | null): unknown {
  if (text === null) return undefined;
  const bare = text.replace(/::[\w ]+$/, '');
  const quoted = /^'(.*)'$/s.exec(bare);
  if (quoted) return (quoted[1] ?? '').replaceAll("''", "'");
  if (bare === 'true' || bare === 'false') return bare === 'true';
  const number = Number(bare);
  return Number.isNaN(number) ? bare : number;
}

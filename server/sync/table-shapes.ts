import type pg from 'pg';
import { SYNCED_TABLES, type SyncedTable } from '../../shared/catalog';
import { camelCase } from '../../shared/catalog/constraints';

export interface ColumnShape {
  /** snake_case SQL name. */
  name: string;
  /** camelCase wire name. */
  key: string;
  type: string;
}

export interface TableShape {
  table: SyncedTable;
  columns: ColumnShape[];
  /** A SQL expression over alias `t` giving the row as wire JSON (camelCase, ISO `Z` times). */
  rowJson: string;
}

export type TableShapes = ReadonlyMap<string, TableShape>;

export function wireValueSql(column: ColumnShape): string {
  const ref = `t."${column.name}"`;
  if (column.type === 'timestamp with time zone') {
    return `to_char(${ref} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  }
  if (column.type === 'date') return `to_char(${ref}, 'YYYY-MM-DD')`;
  return ref;
}

/**
 * Reads the synced tables' columns from the database itself, so the wire row and the SQL row
 * can never drift apart, and builds each table's row-to-JSON expression once.
 */
export async function loadTableShapes(
  client: pg.Pool | pg.PoolClient,
  catalog: readonly SyncedTable[] = SYNCED_TABLES,
): Promise<TableShapes> {
  const names = catalog.map((table) => table.name);
  const result = await client.query<{ table_name: string; column_name: string; data_type: string }>(
    `select table_name, column_name, data_type from information_schema.columns
      where table_schema = current_schema() and table_name = any($1::text[])
      order by table_name, ordinal_position`,
    [names],
  );
  const shapes = new Map<string, TableShape>();
  for (const table of catalog) {
    const columns = result.rows
      .filter((row) => row.table_name === table.name)
      .map((row) => ({
        name: row.column_name,
        key: camelCase(row.column_name),
        type: row.data_type,
      }));
    const pairs = columns.map((column) => `'${column.key}', ${wireValueSql(column)}`).join(', ');
    shapes.set(table.name, { table, columns, rowJson: `json_build_object(${pairs})` });
  }
  return shapes;
}

import type pg from 'pg';
import type { TableShape } from './table-shapes';

/** A synced row as it travels on the wire: camelCase keys, ISO-8601 `Z` timestamps. */
export type WireRow = Record<string, unknown> & {
  id: string;
  version: number;
  hospitalId: string | null;
};

/** How a batch keys the rows it reads and writes. */
export const rowKey = (table: string, id: string) => `${table}:${id}`;

/** Current rows by id, as wire rows; `forUpdate` locks them until the transaction ends. */
export async function selectRows(
  client: pg.PoolClient,
  shape: TableShape,
  ids: readonly string[],
  options: { forUpdate?: boolean } = {},
): Promise<Map<string, WireRow>> {
  const rows = new Map<string, WireRow>();
  if (ids.length === 0) return rows;
  // NO KEY UPDATE: the ids never change, so another transaction's foreign-key check (KEY SHARE)
  // on these rows must not wait for us, or two pushes can deadlock on each other's parents.
  const lock = options.forUpdate ? ' for no key update' : '';
  const result = await client.query<{ row: string }>(
    `select ${shape.rowJson}::text as row from "${shape.table.name}" t where t.id = any($1::uuid[])${lock}`,
    [ids],
  );
  for (const { row } of result.rows) {
    const parsed = JSON.parse(row) as WireRow;
    rows.set(parsed.id, parsed);
  }
  return rows;
}

/**
 * Current rows whose `column` (camelCase) holds one of `values`, as wire rows, locked like
 * `selectRows` with `forUpdate`: the rows a merge moves, the appointments a booking may clash with.
 */
export async function selectRowsWhere(
  client: pg.PoolClient,
  shape: TableShape,
  column: string,
  values: readonly string[],
  options: { forUpdate?: boolean } = {},
): Promise<WireRow[]> {
  const found = shape.columns.find((c) => c.key === column);
  if (!found || values.length === 0) return [];
  const lock = options.forUpdate ? ' for no key update' : '';
  const type = found.type === 'uuid' ? 'uuid' : 'text';
  const result = await client.query<{ row: string }>(
    `select ${shape.rowJson}::text as row from "${shape.table.name}" t
      where t."${found.name}" = any($1::${type}[]) order by t.id${lock}`,
    [values],
  );
  return result.rows.map(({ row }) => JSON.parse(row) as WireRow);
}

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * Writes whole rows with one statement: the rows travel as one JSON parameter that Postgres
 * expands itself (jsonb_populate_recordset), which is what keeps a 500-mutation push fast.
 * `insert` fails on an existing id; `upsert` replaces the row (its lock is already held) or
 * inserts it.
 */
export async function writeRows(
  client: pg.PoolClient,
  shape: TableShape,
  rows: readonly WireRow[],
  mode: 'insert' | 'upsert',
): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (const column of shape.columns) record[column.name] = row[column.key] ?? null;
    return record;
  });
  const columnList = shape.columns.map((column) => `"${column.name}"`).join(', ');
  const table = `"${shape.table.name}"`;
  const source = `jsonb_populate_recordset(null::${table}, $1::jsonb)`;
  if (mode === 'insert') {
    await client.query(`insert into ${table} (${columnList}) select ${columnList} from ${source}`, [
      JSON.stringify(payload),
    ]);
    return;
  }
  // Existing rows by UPDATE, new ones by INSERT, not ON CONFLICT DO UPDATE: that one locks a row
  // exclusively whenever its SET list names a unique column (mrn, email), even unchanged, which
  // blocks other pushes' foreign-key checks on it and deadlocks concurrent devices.
  const updatable = shape.columns.filter((column) => column.name !== 'id');
  const targets = updatable.map((column) => `"${column.name}"`).join(', ');
  const sources = updatable.map((column) => `s."${column.name}"`).join(', ');
  await client.query(
    `with s as (select * from ${source}),
          updated as (update ${table} t set (${targets}) = row(${sources}) from s where t.id = s.id returning t.id)
     insert into ${table} (${columnList})
     select ${columnList} from s where s.id not in (select id from updated)`,
    [JSON.stringify(payload)],
  );
}

/** Server-side bookkeeping rows (history, idempotency, conflicts) written the same set-based way. */
export async function insertRecords(
  client: pg.PoolClient,
  table: string,
  records: readonly Record<string, unknown>[],
): Promise<void> {
  const first = records[0];
  if (first === undefined) return;
  const keys = Object.keys(first);
  const columns = keys.map((key) => `"${snakeCase(key)}"`).join(', ');
  const payload = records.map((record) =>
    Object.fromEntries(keys.map((key) => [snakeCase(key), record[key] ?? null])),
  );
  await client.query(
    `insert into "${table}" (${columns})
      select ${columns} from jsonb_populate_recordset(null::"${table}", $1::jsonb)`,
    [JSON.stringify(payload)],
  );
}

import { sql, type SQL } from 'drizzle-orm';
import type { AnyColumn } from 'drizzle-orm';

/**
 * `column IN ('a', 'b')` for CHECK constraints. DDL cannot take bound parameters, so the values
 * are inlined; they come from the constant lists in shared/, never from input.
 */
export function oneOf(column: AnyColumn, values: readonly string[]): SQL {
  const list = values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ');
  return sql`${column} in (${sql.raw(list)})`;
}

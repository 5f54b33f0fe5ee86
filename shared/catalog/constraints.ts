/**
 * The CHECK constraints of a synced table as both databases hold them: one per enum column (its
 * values) and per bounded number (its range), derived from the column's rules so the database and
 * zod can never disagree, then the table's own checks.
 */
import type { ColumnSpec } from './columns';
import type { CheckSpec, SyncedTable } from './table';

export const snakeCase = (key: string) =>
  key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

export const camelCase = (name: string) =>
  name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

function rangeSql(key: string, spec: ColumnSpec): string | null {
  const { min, max } = spec;
  const column = `{${key}}`;
  const bound =
    min !== undefined && max !== undefined
      ? `${column} between ${String(min)} and ${String(max)}`
      : min !== undefined
        ? `${column} >= ${String(min)}`
        : max !== undefined
          ? `${column} <= ${String(max)}`
          : null;
  if (bound === null) return null;
  return spec.nullable ? `${column} is null or ${bound}` : bound;
}

function ruleSql(key: string, spec: ColumnSpec): string | null {
  if (spec.kind === 'enum') return `{${key}} in (${(spec.values ?? []).map(quote).join(', ')})`;
  if (spec.kind === 'integer' || spec.kind === 'real') return rangeSql(key, spec);
  return null;
}

/** Every CHECK constraint of the table, column rules first, in column order. */
export function checksOf(table: SyncedTable): CheckSpec[] {
  const fromColumns = Object.entries(table.columns).flatMap(([key, column]): CheckSpec[] => {
    if (column.spec.check === false) return [];
    const sql = ruleSql(key, column.spec);
    if (sql === null) return [];
    return [{ name: column.spec.check ?? `${table.name}_${snakeCase(key)}_check`, sql }];
  });
  return [...fromColumns, ...table.checks];
}

/**
 * A SQL fragment split at its `{column}` references: literal text and camelCase column keys in
 * turn, so each database's schema can put its own column reference in place.
 */
export function splitSql(fragment: string): { text: string[]; columns: string[] } {
  const text: string[] = [];
  const columns: string[] = [];
  let rest = fragment;
  for (let match = /\{(\w+)\}/.exec(rest); match; match = /\{(\w+)\}/.exec(rest)) {
    text.push(rest.slice(0, match.index));
    columns.push(match[1] ?? '');
    rest = rest.slice(match.index + match[0].length);
  }
  text.push(rest);
  return { text, columns };
}

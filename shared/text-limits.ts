/**
 * The longest text a column takes (the catalog's `text({ max })`), so a form can say so and stop
 * there rather than have the entry refused when it is saved (issue 14: one change must always fit
 * in a push on its own).
 */
import { findSyncedTable } from './catalog';

export function textLimit(table: string, column: string): number {
  const spec = findSyncedTable(table)?.columns[column]?.spec;
  // A number's `max` is its range, not a length.
  if (spec?.kind !== 'text' || spec.max === undefined)
    throw new Error(`${table}.${column} has no text limit in the catalog`);
  return spec.max;
}

/** "At most 2,000 characters.", for the form field's description. */
export function describeTextLimit(max: number): string {
  return `At most ${max.toLocaleString('en-GB')} characters.`;
}

import type { z } from 'zod';
import type { Mutation, Reason } from '../../shared/protocol';
import { SYNC_COLUMN_KEYS } from '../../shared/schemas/common';
import { describeZodError } from '../../shared/validation';
import type { TableShape, TableShapes } from './table-shapes';

/** A mutation after the checks that need no database: a known table and well-formed data. */
export type PreparedMutation =
  | { ok: true; mutation: Mutation; shape: TableShape; data: Record<string, unknown> }
  | { ok: false; mutation: Mutation; reason: Reason };

const syncKeys = new Set<string>(SYNC_COLUMN_KEYS);

function schemaFor(shape: TableShape, op: Mutation['op']): z.ZodType {
  if (op === 'update') return shape.table.fields.partial();
  // A new entry also meets the rules over its whole entry (a held dose says why).
  return shape.table.entrySchema;
}

/** Timestamps are kept as `…Z` so a row reads the same whether it came from a device or Postgres. */
function normaliseTimes(shape: TableShape, data: Record<string, unknown>): Record<string, unknown> {
  for (const column of shape.columns) {
    const value = data[column.key];
    if (column.type === 'timestamp with time zone' && typeof value === 'string') {
      data[column.key] = new Date(value).toISOString();
    }
  }
  return data;
}

export function prepareMutation(shapes: TableShapes, mutation: Mutation): PreparedMutation {
  const shape = shapes.get(mutation.table);
  if (!shape) {
    return {
      ok: false,
      mutation,
      reason: {
        code: 'unknown_table',
        message: `The server does not sync a table called "${mutation.table}".`,
      },
    };
  }
  if (shape.table.appendOnly && mutation.op !== 'insert') {
    return {
      ok: false,
      mutation,
      reason: {
        code: 'validation',
        message: `${mutation.table} entries are never changed or deleted: record a correction as a new entry with enteredInErrorId.`,
      },
    };
  }
  if (mutation.op === 'update' && mutation.baseVersion === null) {
    return {
      ok: false,
      mutation,
      reason: {
        code: 'validation',
        message: 'baseVersion: an update must name the version it was based on.',
      },
    };
  }
  if (mutation.op === 'delete') return { ok: true, mutation, shape, data: {} };
  const ownFields = Object.fromEntries(
    Object.entries(mutation.data).filter(([key]) => !syncKeys.has(key)),
  );
  // A column added after the workstation was built (patients.mergedIntoId) is missing from its
  // inserts; a nullable one reads as null rather than refusing everything that workstation adds.
  if (mutation.op === 'insert') {
    for (const [key, column] of Object.entries(shape.table.columns))
      if (column.spec.nullable && !(key in ownFields)) ownFields[key] = null;
  }
  const parsed = schemaFor(shape, mutation.op).safeParse(ownFields);
  if (!parsed.success) {
    return {
      ok: false,
      mutation,
      reason: { code: 'validation', message: describeZodError(parsed.error) },
    };
  }
  return {
    ok: true,
    mutation,
    shape,
    data: normaliseTimes(shape, parsed.data as Record<string, unknown>),
  };
}

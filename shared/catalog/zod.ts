/**
 * The zod schemas of the synced tables, derived from their catalog columns: the same rules reach
 * the forms, the workstation's services and the server's push checks.
 */
import { z } from 'zod';
import { DateSchema, IdSchema, TimestampSchema } from '../schemas/common';
import type { Column, ColumnSpec, Columns, DateRules, TextRules } from './columns';

/** A rule over a whole new entry (several fields), checked by its entry schema. */
export interface EntryRule<Row> {
  holds(entry: Row): boolean;
  message: string;
  /** The field the message is about. */
  field: string;
}

export type FieldsShape<C extends Columns> = { -readonly [K in keyof C]: C[K]['zodType'] };

function textSchema(spec: ColumnSpec, rules: TextRules): z.ZodType {
  if (rules.format === 'email') {
    const mailbox = rules.normalise ? z.email().trim().toLowerCase() : z.email();
    return spec.max === undefined ? mailbox : mailbox.max(spec.max);
  }
  const base = rules.trim ? z.string().trim() : z.string();
  if (rules.pattern) return base.regex(rules.pattern, rules.message);
  // Text a person must give is never blank; optional text may be cleared to ''.
  const required = spec.nullable ? base : base.min(1);
  return spec.max === undefined ? required : required.max(spec.max);
}

function numberSchema(spec: ColumnSpec): z.ZodNumber {
  let schema = spec.kind === 'integer' ? z.number().int() : z.number();
  if (spec.min !== undefined) schema = schema.min(spec.min);
  if (spec.max !== undefined) schema = schema.max(spec.max);
  return schema;
}

const today = () => new Date().toISOString().slice(0, 10);

function dateSchema(rules: DateRules | undefined): z.ZodType {
  if (!rules) return DateSchema;
  const bound = (value: string) => (value === 'today' ? today() : value);
  return DateSchema.refine(
    (value) =>
      (rules.min === undefined || value >= bound(rules.min)) &&
      (rules.max === undefined || value <= bound(rules.max)),
    rules.message,
  );
}

function valueSchema(spec: ColumnSpec): z.ZodType {
  switch (spec.kind) {
    case 'uuid':
      return IdSchema;
    case 'text':
      return textSchema(spec, spec.text ?? { trim: true });
    case 'enum':
      return z.enum(spec.values ?? []);
    case 'integer':
    case 'real':
      return numberSchema(spec);
    case 'boolean':
      return z.boolean();
    case 'timestamp':
      return TimestampSchema;
    case 'date':
      return dateSchema(spec.date);
    case 'json':
      return spec.content ?? z.unknown();
  }
}

/** The zod schema of one column's value. */
export function columnSchema(column: Column): z.ZodType {
  const schema = valueSchema(column.spec);
  return column.spec.nullable ? schema.nullable() : schema;
}

export function fieldsSchemaOf<C extends Columns>(columns: C): z.ZodObject<FieldsShape<C>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, column] of Object.entries(columns)) shape[key] = columnSchema(column);
  // The one place a derived schema meets its static type: each builder in ./columns declares the
  // zod type valueSchema makes for its kind, and test/unit/foundation/catalog.test.ts holds the two
  // together for every column.
  return z.object(shape) as z.ZodObject<FieldsShape<C>>;
}

export function entrySchemaOf<Row>(
  fields: z.ZodType<Row>,
  rules: readonly EntryRule<Row>[],
): z.ZodType<Row> {
  return rules.reduce<z.ZodType<Row>>(
    (schema, rule) =>
      schema.refine((entry) => rule.holds(entry), { message: rule.message, path: [rule.field] }),
    fields,
  );
}

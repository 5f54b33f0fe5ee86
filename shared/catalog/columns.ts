/**
 * The column vocabulary of the catalog. A column says what both databases store (kind,
 * nullability, default, reference, unique) and the value rules zod needs (enum values, ranges,
 * text length, a JSON column's content). The zod schema is derived from it (./zod.ts), the
 * drizzle columns by `npm run db:schema`; the type parameter only carries that zod schema's
 * static type so that `VitalsFieldsSchema.shape.heartRate` stays exactly typed.
 */
import type { z } from 'zod';

export type ColumnKind =
  'uuid' | 'text' | 'enum' | 'integer' | 'real' | 'boolean' | 'timestamp' | 'date' | 'json';

export type ReferentialAction = 'restrict' | 'cascade' | 'set null' | 'no action';

export interface Reference {
  /** The synced table it points at. */
  table: string;
  /** The camelCase column it points at: `id` unless said. */
  column: string;
  onDelete: ReferentialAction;
  onUpdate?: ReferentialAction;
}

export interface TextRules {
  /** Surrounding spaces are dropped before checking (true unless said). */
  trim: boolean;
  /** `email`: a mailbox; `normalise` also lowercases it. */
  format?: 'email';
  normalise?: boolean;
  /** A code: the whole value must match; `message` says what is expected. */
  pattern?: RegExp;
  message?: string;
}

export interface DateRules {
  /** Inclusive bounds, `YYYY-MM-DD`; `today` is the day the value is checked. */
  min?: string;
  max?: string;
  message: string;
}

export interface ColumnSpec {
  kind: ColumnKind;
  nullable: boolean;
  /** The database default, the same literal in both databases. */
  default?: { value: unknown };
  references?: Reference;
  /** Name of a one-column unique constraint. */
  unique?: string;
  /** enum: the allowed values. */
  values?: readonly string[];
  /** integer/real: the inclusive range; text: `max` is the longest value. */
  min?: number;
  max?: number;
  /**
   * The CHECK constraint holding an enum's values or a number's range in both databases: a name,
   * or false when only zod checks it. Defaults to `<table>_<column>_check` when there is a rule.
   */
  check?: string | false;
  text?: TextRules;
  date?: DateRules;
  /** json: the zod schema of the content. */
  content?: z.ZodType;
}

/** One column of a synced table; `Z` is the static type of the zod schema derived from it. */
export class Column<Z extends z.ZodType = z.ZodType> {
  /** Type only: the zod schema ./zod.ts derives for this column. */
  declare readonly zodType: Z;

  constructor(readonly spec: ColumnSpec) {}

  nullable(): Column<z.ZodNullable<Z>> {
    return new Column({ ...this.spec, nullable: true });
  }

  default(value: z.output<Z>): Column<Z> {
    return new Column({ ...this.spec, default: { value } });
  }

  references(
    table: string,
    options: { onDelete: ReferentialAction; onUpdate?: ReferentialAction; column?: string },
  ): Column<Z> {
    const { column = 'id', ...actions } = options;
    return new Column({ ...this.spec, references: { table, column, ...actions } });
  }

  unique(constraintName: string): Column<Z> {
    return new Column({ ...this.spec, unique: constraintName });
  }
}

export type Columns = Readonly<Record<string, Column>>;

type Range = { min?: number; max?: number; check?: string | false };

export const uuid = () => new Column<z.ZodUUID>({ kind: 'uuid', nullable: false });

/** Free text a person typed: trimmed, never empty unless nullable, at most `max` characters. */
export const text = (rules: { max: number; trim?: boolean }) =>
  new Column<z.ZodString>({
    kind: 'text',
    nullable: false,
    max: rules.max,
    text: { trim: rules.trim ?? true },
  });

/** A code typed by a person (MRN, ward code): trimmed, then matched whole against `pattern`. */
export const code = (pattern: RegExp, message: string) =>
  new Column<z.ZodString>({
    kind: 'text',
    nullable: false,
    text: { trim: true, pattern, message },
  });

export const email = (rules: { max: number; normalise?: boolean }) =>
  new Column<z.ZodEmail>({
    kind: 'text',
    nullable: false,
    max: rules.max,
    text: { trim: rules.normalise ?? false, format: 'email', normalise: rules.normalise ?? false },
  });

export const enumOf = <const T extends readonly string[]>(
  values: T,
  options: { check?: string | false } = {},
) =>
  new Column<z.ZodEnum<{ [K in T[number]]: K }>>({
    kind: 'enum',
    nullable: false,
    values,
    ...options,
  });

export const integer = (range: Range = {}) =>
  new Column<z.ZodNumber>({ kind: 'integer', nullable: false, ...range });

export const real = (range: Range = {}) =>
  new Column<z.ZodNumber>({ kind: 'real', nullable: false, ...range });

export const boolean = () => new Column<z.ZodBoolean>({ kind: 'boolean', nullable: false });

/** An instant: ISO-8601 with offset on the wire, timestamptz(3) in PostgreSQL, text in SQLite. */
export const timestamp = () => new Column<z.ZodISODateTime>({ kind: 'timestamp', nullable: false });

/** A calendar day, `YYYY-MM-DD`. */
export const date = (rules?: DateRules) =>
  new Column<z.ZodISODate>({ kind: 'date', nullable: false, ...(rules ? { date: rules } : {}) });

/** A JSON document whose content `content` describes (jsonb in PostgreSQL, text in SQLite). */
export const json = <S extends z.ZodType>(content: S) =>
  new Column<S>({ kind: 'json', nullable: false, content });

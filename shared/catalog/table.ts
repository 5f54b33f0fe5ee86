/**
 * What a catalog entry declares about one synced table, and `syncedTable()`, which turns a
 * declaration into the entry every layer reads: the zod schemas are derived here, the drizzle
 * schemas by `npm run db:schema`, the change-feed triggers by the server's migrate step, and the
 * server's rules (append-only, status machine, permissions, promotion, checks) are looked up on
 * the entry. SQL fragments (checks, partial indexes, expressions) name columns as `{camelCase}`
 * and use only what SQLite and PostgreSQL both understand.
 */
import type { z } from 'zod';
import type { Permission } from '../permissions';
import type { Columns } from './columns';
import { entrySchemaOf, fieldsSchemaOf, type EntryRule, type FieldsShape } from './zod';

export interface IndexSpec {
  name: string;
  /** camelCase columns (sync columns included) or SQL expressions such as `lower({lastName})`. */
  columns: readonly string[];
  unique: boolean;
  /** A partial index's condition. */
  where?: string;
  /** PostgreSQL index method (`gin` for a JSON column searched by content). */
  using?: 'gin';
  /** Why the index exists, carried into the generated schema. */
  why?: string;
}

export interface CheckSpec {
  name: string;
  sql: string;
  why?: string;
}

/**
 * Permissions of an update whose need depends on what it changes; every permission that applies
 * is needed. A status change needs the permission of the status it reaches.
 */
export interface UpdatePermissions {
  statusTo?: Readonly<Partial<Record<string, Permission>>>;
  /**
   * A move from one status to another (`from->to`) that needs another permission than its
   * `statusTo`: a bed freed by a discharge is the ward's, one back from maintenance the manager's.
   */
  statusMoves?: Readonly<Partial<Record<`${string}->${string}`, Permission>>>;
  /** Changing one of these fields needs its permission. */
  fields?: Readonly<Partial<Record<string, Permission>>>;
  /** Changing any field not named above (nor the status). */
  otherFields?: Permission;
  /** When nothing above applies (nothing changed, or only unlisted fields). */
  otherwise: Permission;
}

/**
 * The permission each op needs when a workstation pushes it. An op left out cannot be pushed by
 * anyone (reference data is managed on the server only).
 */
export interface TablePermissions {
  insert?: Permission;
  update?: Permission | UpdatePermissions;
  delete?: Permission;
}

/** A workflow whose moves the server enforces whoever asks (SYNC-PROTOCOL.md: invalid_transition). */
export interface StatusMachine {
  field: string;
  /** What one row is called in a refusal: "A visit cannot go from discharged to admitted." */
  noun: string;
  /** The statuses a new row may start in. */
  initial: readonly string[];
  transitions: Readonly<Record<string, readonly string[]>>;
}

/**
 * Checks the server implements (server/sync/server-checks.ts) and runs for the tables that name
 * them: the catalog says which table needs which, the server says how.
 */
export const SERVER_CHECK_NAMES = [
  /** A bed holds one admitted visit: a later admission is kept without the bed, as a conflict. */
  'bed_clash',
  /** A scheduled dose charted as given twice: both kept, a warning and a clinical alert. */
  'double_dose',
  /** A registration matching another patient's name, birth date and sex: warning and alert. */
  'duplicate_patient',
  /** A merge of two patient records: the server moves the merged record's rows to the survivor. */
  'patient_merge',
  /** A merged patient record: the merge mark is the server's; late edits also reach the survivor. */
  'merged_record',
  /** Two active appointments of one doctor overlap: both kept, a conflict and an alert. */
  'slot_taken',
  /** Stock movements adding up to less than nothing: applied, with a warning and an alert. */
  'negative_stock',
  /** Account changes: nobody raises someone above themselves or edits their own account. */
  'account_rules',
  /** Direct grants: the same rules, judged on the account the grant is for. */
  'grant_rules',
  /** An entry arriving for a stay already discharged: kept, promoted, and the ward is told. */
  'late_entry_after_discharge',
  /** A refused change of clinical data: the bedside did something the record lacks; tell the ward. */
  'refused_clinical_change',
  /** An alert is only acknowledged, by the person who says so, with a note; nothing else changes. */
  'alert_acknowledgement',
] as const;
export type ServerCheckName = (typeof SERVER_CHECK_NAMES)[number];

export type HospitalScoping = 'required' | 'nullable' | 'own id';

/**
 * How the devices of a hospital receive the rows of a `nullable` table that belong to no hospital
 * (regional and super administrators): SYNC-PROTOCOL.md, Tenancy. A table without it sends them
 * to nobody.
 */
export interface OutsiderView {
  /** The row as the server sends it: only what a ward needs to name the person. */
  send(row: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /**
   * What a replica stores of a sent row: `fields` replace what it holds (the person may have
   * left this hospital, so details it held go too); `placeholders` fill the columns a new row
   * cannot leave empty and are never written over a value the replica already has.
   */
  keep(sent: Readonly<Record<string, unknown>>): {
    fields: Record<string, unknown>;
    placeholders: Record<string, unknown>;
  } | null;
}

export interface SyncedTable {
  /** The wire name used in mutations and changes (`table`), also the SQL table name. */
  name: string;
  /** The catalog file (area) that declares it, which is also the generated schema file. */
  area: string;
  description: string;
  /**
   * `hospital`: rows belong to one hospital and only its devices see them.
   * `reference`: shared catalog data (hospitalId null) every device receives.
   */
  scope: 'hospital' | 'reference';
  /**
   * `hospitalId` of a hospital row: `required` (a foreign key), `nullable` (staff without a
   * hospital), `own id` (a hospital is scoped to itself). Reference rows have none.
   */
  hospitalId: HospitalScoping | 'none';
  /** The row's own columns, camelCase, without the sync columns. */
  columns: Columns;
  /** The row's own fields as zod: an insert is checked against it, an update against .partial(). */
  fields: z.ZodObject;
  /** `fields` plus the rules over the whole entry: what an insert must satisfy. */
  entrySchema: z.ZodType;
  indexes: readonly IndexSpec[];
  checks: readonly CheckSpec[];
  /** Indexes only one database has (SQLite partial and expression indexes, PostgreSQL GIN). */
  sqlite: { indexes: readonly IndexSpec[] };
  postgres: { indexes: readonly IndexSpec[] };
  /** Clinical entries: only `insert`; a correction is a new row naming `enteredInErrorId`. */
  appendOnly: boolean;
  statusMachine: StatusMachine | null;
  permissions: TablePermissions;
  /**
   * The global EMR: `visit` rows are the visits it is built around (a change re-promotes the
   * visit once discharged); `entry` rows are clinical entries that join their visit's record.
   */
  globalEmr: 'visit' | 'entry' | null;
  serverChecks: readonly ServerCheckName[];
  /** Rows without a hospital as other hospitals' devices receive them; null: not sent. */
  outsiders: OutsiderView | null;
}

export interface TableDeclaration<C extends Columns> {
  area: string;
  description: string;
  scope?: 'hospital' | 'reference';
  /** For hospital tables; `required` unless said. */
  hospitalId?: HospitalScoping;
  columns: C;
  indexes?: readonly IndexSpec[];
  checks?: readonly CheckSpec[];
  sqlite?: { indexes?: readonly IndexSpec[] };
  postgres?: { indexes?: readonly IndexSpec[] };
  appendOnly?: boolean;
  statusMachine?: StatusMachine & { field: keyof C & string };
  permissions?: TablePermissions;
  globalEmr?: 'visit' | 'entry';
  serverChecks?: readonly ServerCheckName[];
  /** Only for `hospitalId: 'nullable'`. */
  outsiders?: OutsiderView;
  entryRules?: readonly EntryRule<z.output<z.ZodObject<FieldsShape<C>>>>[];
}

export type TableEntry<Name extends string, C extends Columns> = Omit<
  SyncedTable,
  'name' | 'columns' | 'fields'
> & {
  name: Name;
  columns: C;
  fields: z.ZodObject<FieldsShape<C>>;
};

/** Builds a catalog entry: defaults filled in, zod schemas derived. */
export function syncedTable<const Name extends string, C extends Columns>(
  name: Name,
  declaration: TableDeclaration<C>,
): TableEntry<Name, C> {
  const scope = declaration.scope ?? 'hospital';
  const fields = fieldsSchemaOf(declaration.columns);
  return {
    name,
    area: declaration.area,
    description: declaration.description,
    scope,
    hospitalId: scope === 'reference' ? 'none' : (declaration.hospitalId ?? 'required'),
    columns: declaration.columns,
    fields,
    entrySchema: entrySchemaOf(fields, declaration.entryRules ?? []),
    indexes: declaration.indexes ?? [],
    checks: declaration.checks ?? [],
    sqlite: { indexes: declaration.sqlite?.indexes ?? [] },
    postgres: { indexes: declaration.postgres?.indexes ?? [] },
    appendOnly: declaration.appendOnly ?? false,
    statusMachine: declaration.statusMachine ?? null,
    permissions: declaration.permissions ?? {},
    globalEmr: declaration.globalEmr ?? null,
    serverChecks: declaration.serverChecks ?? [],
    outsiders: declaration.outsiders ?? null,
  };
}

/**
 * Whether a pulled row is an outsider view (OutsiderView.send) rather than a whole row: a whole
 * row always carries `hospitalId`, a view never does.
 */
export const isOutsiderView = (row: Readonly<Record<string, unknown>>): boolean =>
  !('hospitalId' in row);

export const index = (
  name: string,
  columns: readonly string[],
  options: { where?: string; why?: string } = {},
): IndexSpec => ({ name, columns, unique: false, ...options });

export const uniqueIndex = (
  name: string,
  columns: readonly string[],
  options: { where?: string; why?: string } = {},
): IndexSpec => ({ name, columns, unique: true, ...options });

/** A PostgreSQL GIN index over a JSON column, for searches by content. */
export const ginIndex = (name: string, column: string): IndexSpec => ({
  name,
  columns: [column],
  unique: false,
  using: 'gin',
});

export const check = (name: string, sql: string, why?: string): CheckSpec => ({
  name,
  sql,
  ...(why ? { why } : {}),
});

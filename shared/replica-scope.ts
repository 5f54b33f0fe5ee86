/**
 * What a scoped workstation holds (docs/SYNC.md "Scope"): every row of the hospital's patient
 * index and reference data, and the clinical rows of its current stays and of stays discharged
 * within a window. A clinical row belongs to a stay through its `visitId`; the rule over stays is
 * written once here as SQL that SQLite and PostgreSQL both read the same way (the server's
 * snapshot and the workstation's pull and purge must draw the same line).
 */
import { SYNCED_TABLES, type SyncedTable, type SyncedTableName } from './catalog';

/** How long a discharged stay's clinical rows stay on a workstation, unless IT says otherwise. */
export const DEFAULT_DISCHARGED_WITHIN_DAYS = 30;

/** How long an older stay fetched for a chart opened online stays on the workstation. */
export const DEFAULT_KEEP_OPENED_STAY_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The tables whose rows belong to one stay: a `visitId` pointing at visits. Rows of them whose
 * `visitId` is null belong to the patient, not a stay, and are always held.
 */
const belongsToStay = (table: SyncedTable): boolean =>
  table.name !== 'visits' && table.columns.visitId?.spec.references?.table === 'visits';

export const STAY_RECORD_TABLES: readonly SyncedTableName[] = SYNCED_TABLES.filter(
  (table: SyncedTable) => belongsToStay(table),
).map((table) => table.name);

const stayTables = new Set<string>(STAY_RECORD_TABLES);
export const isStayRecordTable = (table: string): boolean => stayTables.has(table);

/** Stays discharged (or cancelled) before this instant are outside the window at `now`. */
export function stayCutoff(now: Date, dischargedWithinDays: number): Date {
  return new Date(now.getTime() - dischargedWithinDays * DAY_MS);
}

/**
 * A stay (alias `v`) within the window: still admitted, or ended (discharged, or cancelled: its
 * last change) at or after the cutoff, the one parameter. Timestamps compare as ISO-8601 text on
 * the workstation, as timestamptz on the server.
 */
export const STAY_IN_WINDOW_SQL = `(v.status = 'admitted' or coalesce(v.discharged_at, v.updated_at) >= ?)`;

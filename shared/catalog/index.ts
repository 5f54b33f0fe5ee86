/**
 * The catalog of synced tables: one entry per table, declared in the file of its area, is the
 * only place a synced table is described. Zod schemas derive from it at runtime, both drizzle
 * schemas are generated from it (`npm run db:schema`), the server's migrate step gives each entry
 * its change-feed triggers, and the server looks its rules up here. docs/CATALOG.md shows how to
 * add a table.
 */
import type { z } from 'zod';
import {
  rolePermissions,
  permissions,
  roles,
  staffWardAssignments,
  userPermissions,
  users,
} from './access';
import { patientMerges, patientRestrictions, patients, visits } from './care';
import { nurseLogs, vitals } from './clinical';
import { labTests, medicationAdministrations, prescriptions } from './orders';
import { beds, hospitals, regions, wards } from './organisation';
import { aiDrafts, attachments, clinicalAlerts, emrLocal, notifications } from './records';
import { appointments, inventory, inventoryMovements } from './scheduling';
import type { SyncedTable } from './table';

export type { SyncedTable } from './table';

/**
 * Every table that travels through /v1/sync. The order is the dependency order (a row's
 * foreign keys point only at tables earlier in the list, or at its own), which seeding, first
 * syncs and the server's set-based writes rely on; a test holds it.
 */
export const SYNCED_TABLES = [
  regions,
  roles,
  permissions,
  rolePermissions,
  hospitals,
  wards,
  beds,
  users,
  userPermissions,
  patients,
  patientMerges,
  visits,
  vitals,
  nurseLogs,
  labTests,
  prescriptions,
  medicationAdministrations,
  appointments,
  inventory,
  inventoryMovements,
  emrLocal,
  aiDrafts,
  notifications,
  clinicalAlerts,
  patientRestrictions,
  staffWardAssignments,
  attachments,
] as const satisfies readonly SyncedTable[];

export type SyncedTableName = (typeof SYNCED_TABLES)[number]['name'];

export type CatalogEntry<Name extends SyncedTableName> = Extract<
  (typeof SYNCED_TABLES)[number],
  { name: Name }
>;

/** The row fields of a synced table as its zod schema outputs them (sync columns excluded). */
export type CatalogFields<Name extends SyncedTableName> = z.output<CatalogEntry<Name>['fields']>;

const byName = new Map<string, SyncedTable>(SYNCED_TABLES.map((t) => [t.name, t]));

export function findSyncedTable(name: string): SyncedTable | undefined {
  return byName.get(name);
}

/**
 * Whether a table's rows belong to one patient: its `patientId` column points at patients. A
 * merge moves these rows to the surviving record, and the server files a late change naming a
 * merged record under the survivor (server/sync/merged-patients.ts).
 */
export const belongsToPatient = (table: SyncedTable): boolean =>
  table.columns.patientId?.spec.references?.table === 'patients';

/** The tables whose rows belong to one patient, in dependency order. */
export const PATIENT_RECORD_TABLES: readonly SyncedTableName[] = SYNCED_TABLES.filter((table) =>
  belongsToPatient(table),
).map((table) => table.name);

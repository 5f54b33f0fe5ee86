import type { z } from 'zod';
import {
  PermissionFieldsSchema,
  RoleFieldsSchema,
  RolePermissionFieldsSchema,
  UserFieldsSchema,
  UserPermissionFieldsSchema,
} from './schemas/access';
import { AppointmentFieldsSchema } from './schemas/appointments';
import { InventoryItemFieldsSchema } from './schemas/inventory';
import { LabTestFieldsSchema } from './schemas/lab-tests';
import {
  MedicationAdministrationFieldsSchema,
  PrescriptionFieldsSchema,
} from './schemas/medications';
import { NurseLogFieldsSchema } from './schemas/nurse-logs';
import {
  BedFieldsSchema,
  HospitalFieldsSchema,
  RegionFieldsSchema,
  WardFieldsSchema,
} from './schemas/organisation';
import { PatientFieldsSchema } from './schemas/patients';
import {
  AiDraftFieldsSchema,
  ClinicalAlertFieldsSchema,
  EmrLocalFieldsSchema,
  NotificationFieldsSchema,
} from './schemas/records';
import { VisitFieldsSchema } from './schemas/visits';
import { VitalsFieldsSchema } from './schemas/vitals';

export interface SyncedTable {
  /** The wire name used in mutations and changes (`table`), also the SQL table name. */
  name: string;
  /** The row's own fields, camelCase, without the sync columns. */
  fields: z.ZodObject;
  /**
   * `hospital`: rows belong to one hospital and only its devices see them.
   * `reference`: shared catalog data (hospitalId null) every device receives.
   */
  scope: 'hospital' | 'reference';
  /** Clinical entries: only `insert`; a correction is a new row naming `enteredInErrorId`. */
  appendOnly: boolean;
}

const table = <Name extends string>(
  name: Name,
  fields: z.ZodObject,
  options: Partial<Pick<SyncedTable, 'scope' | 'appendOnly'>> = {},
): SyncedTable & { name: Name } => ({
  name,
  fields,
  scope: 'hospital',
  appendOnly: false,
  ...options,
});

/**
 * Every table that travels through /v1/sync. The order is the dependency order (a row's
 * foreign keys point only at tables earlier in the list), which seeding and first syncs rely on.
 * A hospital row is scoped to itself: its `hospitalId` is its own id.
 */
export const SYNCED_TABLES = [
  table('regions', RegionFieldsSchema, { scope: 'reference' }),
  table('roles', RoleFieldsSchema, { scope: 'reference' }),
  table('permissions', PermissionFieldsSchema, { scope: 'reference' }),
  table('role_permissions', RolePermissionFieldsSchema, { scope: 'reference' }),
  table('hospitals', HospitalFieldsSchema),
  table('wards', WardFieldsSchema),
  table('beds', BedFieldsSchema),
  table('users', UserFieldsSchema),
  table('user_permissions', UserPermissionFieldsSchema),
  table('patients', PatientFieldsSchema),
  table('visits', VisitFieldsSchema),
  table('vitals', VitalsFieldsSchema, { appendOnly: true }),
  table('nurse_logs', NurseLogFieldsSchema, { appendOnly: true }),
  table('lab_tests', LabTestFieldsSchema),
  table('prescriptions', PrescriptionFieldsSchema),
  table('medication_administrations', MedicationAdministrationFieldsSchema, { appendOnly: true }),
  table('appointments', AppointmentFieldsSchema),
  table('inventory', InventoryItemFieldsSchema),
  table('emr_local', EmrLocalFieldsSchema),
  table('ai_drafts', AiDraftFieldsSchema),
  table('notifications', NotificationFieldsSchema),
  table('clinical_alerts', ClinicalAlertFieldsSchema),
] as const satisfies readonly SyncedTable[];

export type SyncedTableName = (typeof SYNCED_TABLES)[number]['name'];

const byName = new Map<string, SyncedTable>(SYNCED_TABLES.map((t) => [t.name, t]));

export function findSyncedTable(name: string): SyncedTable | undefined {
  return byName.get(name);
}

import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { SyncedTableName } from '../../shared/synced-tables';
import * as schema from './schema';

/** The drizzle table behind each synced table name of the protocol. */
export const localSyncedTables: Record<SyncedTableName, SQLiteTable> = {
  regions: schema.regions,
  roles: schema.roles,
  permissions: schema.permissions,
  role_permissions: schema.rolePermissions,
  hospitals: schema.hospitals,
  wards: schema.wards,
  beds: schema.beds,
  users: schema.users,
  user_permissions: schema.userPermissions,
  patients: schema.patients,
  visits: schema.visits,
  vitals: schema.vitals,
  nurse_logs: schema.nurseLogs,
  lab_tests: schema.labTests,
  prescriptions: schema.prescriptions,
  medication_administrations: schema.medicationAdministrations,
  appointments: schema.appointments,
  inventory: schema.inventory,
  emr_local: schema.emrLocal,
  ai_drafts: schema.aiDrafts,
  notifications: schema.notifications,
  clinical_alerts: schema.clinicalAlerts,
};

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as central from '../../../db/central/schema';
import { seedCentralDatabase } from '../../../db/central/seed';
import { centralSyncedTables } from '../../../db/central/synced-tables';
import * as local from '../../../db/local/schema';
import { seedLocalDatabase } from '../../../db/local/seed';
import { localSyncedTables } from '../../../db/local/synced-tables';
import { buildDemoData, demoUserId } from '../../../db/seed/demo-data';
import { referenceRows } from '../../../shared/reference-data';
import type { SyncedTableName } from '../../../shared/synced-tables';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { createTestReplica, type TestReplica } from '../../support/sqlite';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const demo: Record<string, Row[] | undefined> = { ...referenceRows(), ...buildDemoData(NOW) };
type Row = Record<string, unknown>;

function demoRow(table: string, index = 0): Row {
  const row = demo[table]?.[index];
  if (!row) throw new Error(`no demo ${table} row ${index}`);
  return row;
}

let fresh = 0;
/** A copy of a demo row under a new id, with some fields changed. */
function variant(table: string, changes: Row, index = 0): Row {
  fresh += 1;
  return {
    ...demoRow(table, index),
    id: `00000000-0000-4000-8000-${String(fresh).padStart(12, '0')}`,
    ...changes,
  };
}

type Kind = 'unique' | 'foreign key' | 'check';
interface Violation {
  what: string;
  table: SyncedTableName;
  kind: Kind;
  /** Constraint name, checked where the engine reports it. */
  constraint?: string;
  row: () => Row;
}

const missing = '00000000-0000-4000-8000-ffffffffffff';
const VIOLATIONS: Violation[] = [
  {
    what: 'a second region with the same code',
    table: 'regions',
    kind: 'unique',
    constraint: 'regions_code_unique',
    row: () => variant('regions', {}),
  },
  {
    what: 'a second hospital with the same code',
    table: 'hospitals',
    kind: 'unique',
    constraint: 'hospitals_code_unique',
    row: () => variant('hospitals', {}),
  },
  {
    what: 'a second ward code in one hospital',
    table: 'wards',
    kind: 'unique',
    constraint: 'wards_hospital_code_unique',
    row: () => variant('wards', {}),
  },
  {
    what: 'a second bed number in one hospital',
    table: 'beds',
    kind: 'unique',
    constraint: 'beds_hospital_number_unique',
    row: () => variant('beds', {}),
  },
  {
    what: 'a second account with the same email',
    table: 'users',
    kind: 'unique',
    constraint: 'users_email_unique',
    row: () => variant('users', {}),
  },
  {
    what: 'a second patient with the same MRN in one hospital',
    table: 'patients',
    kind: 'unique',
    constraint: 'patients_hospital_mrn_unique',
    row: () => variant('patients', {}),
  },
  {
    what: 'a second active visit in an occupied bed',
    table: 'visits',
    kind: 'unique',
    constraint: 'visits_active_bed_unique',
    row: () => variant('visits', {}),
  },
  {
    what: 'the same permission granted to a role twice',
    table: 'role_permissions',
    kind: 'unique',
    constraint: 'role_permissions_role_permission_unique',
    row: () => variant('role_permissions', {}),
  },
  {
    what: 'a hospital in an unknown region',
    table: 'hospitals',
    kind: 'foreign key',
    row: () => variant('hospitals', { code: 'XGH', regionId: missing }),
  },
  {
    what: 'a bed in an unknown ward',
    table: 'beds',
    kind: 'foreign key',
    row: () => variant('beds', { number: 'Z-01', wardId: missing }),
  },
  {
    what: 'an account with an unknown role',
    table: 'users',
    kind: 'foreign key',
    row: () => variant('users', { email: 'new@hass.example', role: 'nurse ' }),
  },
  {
    what: 'a visit of an unknown patient',
    table: 'visits',
    kind: 'foreign key',
    row: () => variant('visits', { bedId: null, patientId: missing }),
  },
  {
    what: 'vitals for an unknown visit',
    table: 'vitals',
    kind: 'foreign key',
    row: () => variant('vitals', { visitId: missing }),
  },
  {
    what: 'a dose charted against an unknown prescription',
    table: 'medication_administrations',
    kind: 'foreign key',
    row: () => ({ ...variant('vitals', {}), ...marRow({ prescriptionId: missing }) }),
  },
  {
    what: 'a bed with an unknown status',
    table: 'beds',
    kind: 'check',
    constraint: 'beds_status_check',
    row: () => variant('beds', { number: 'Z-02', status: 'broken' }),
  },
  {
    what: 'a visit with an unknown status',
    table: 'visits',
    kind: 'check',
    constraint: 'visits_status_check',
    row: () => variant('visits', { bedId: null, status: 'gone' }),
  },
  {
    what: 'a discharge without a discharge time',
    table: 'visits',
    kind: 'check',
    constraint: 'visits_discharged_at_check',
    row: () => variant('visits', { bedId: null, status: 'discharged' }),
  },
  {
    what: 'a patient with an unknown sex code',
    table: 'patients',
    kind: 'check',
    constraint: 'patients_sex_check',
    row: () => variant('patients', { mrn: 'NGH-999999', sex: 'x' }),
  },
  {
    what: 'a temperature of 80 °C',
    table: 'vitals',
    kind: 'check',
    constraint: 'vitals_temperature_check',
    row: () => variant('vitals', { temperatureC: 80 }),
  },
  {
    what: 'an SpO2 above 100 %',
    table: 'vitals',
    kind: 'check',
    constraint: 'vitals_spo2_check',
    row: () => variant('vitals', { spo2: 101 }),
  },
  {
    what: 'a lab test with an unknown status',
    table: 'lab_tests',
    kind: 'check',
    constraint: 'lab_tests_status_check',
    row: () => variant('lab_tests', { status: 'done' }),
  },
  {
    what: 'a completed lab test without a result',
    table: 'lab_tests',
    kind: 'check',
    constraint: 'lab_tests_result_check',
    row: () => variant('lab_tests', { status: 'completed' }),
  },
  {
    what: 'a held dose without a reason',
    table: 'medication_administrations',
    kind: 'check',
    constraint: 'mar_reason_check',
    row: () => marRow({ status: 'held', reason: null }),
  },
  {
    what: 'an appointment of 1,000 minutes',
    table: 'appointments',
    kind: 'check',
    constraint: 'appointments_duration_check',
    row: () => variant('appointments', { durationMinutes: 1000 }),
  },
  {
    what: 'a negative reorder threshold',
    table: 'inventory',
    kind: 'check',
    constraint: 'inventory_threshold_check',
    row: () => variant('inventory', { sku: 'NEG', threshold: -1 }),
  },
  {
    what: 'stock dispensed as a positive movement',
    table: 'inventory_movements',
    kind: 'check',
    constraint: 'inventory_movements_sign_check',
    row: () => variant('inventory_movements', { kind: 'dispensed', quantity: 3 }),
  },
  {
    what: 'a patient record merged into itself',
    table: 'patient_merges',
    kind: 'check',
    constraint: 'patient_merges_distinct_check',
    row: () => {
      const patient = demoRow('patients');
      fresh += 1;
      return {
        id: `00000000-0000-4000-9000-${String(fresh).padStart(12, '0')}`,
        hospitalId: patient.hospitalId,
        survivorPatientId: patient.id,
        mergedPatientId: patient.id,
        mergedBy: demoUserId('manager@hass.example'),
        mergedAt: NOW.toISOString(),
        reason: null,
      };
    },
  },
];

function marRow(changes: Row): Row {
  const prescription = demoRow('prescriptions');
  fresh += 1;
  return {
    id: `00000000-0000-4000-9000-${String(fresh).padStart(12, '0')}`,
    hospitalId: prescription.hospitalId,
    prescriptionId: prescription.id,
    visitId: prescription.visitId,
    patientId: prescription.patientId,
    scheduledFor: NOW.toISOString(),
    status: 'given',
    reason: null,
    administeredAt: NOW.toISOString(),
    administeredBy: demoUserId('nurse@hass.example'),
    enteredInErrorId: null,
    ...changes,
  };
}

const SQLITE_MESSAGES: Record<Kind, string> = {
  unique: 'UNIQUE constraint failed',
  'foreign key': 'FOREIGN KEY constraint failed',
  check: 'CHECK constraint failed',
};
const POSTGRES_CODES: Record<Kind, string> = {
  unique: '23505',
  'foreign key': '23503',
  check: '23514',
};

interface PgError {
  code?: string;
  constraint?: string;
}
function postgresCause(error: unknown): PgError {
  const cause = (error as { cause?: unknown }).cause ?? error;
  return cause as PgError;
}

describe('database constraints', () => {
  let pg: TestDatabase;
  let replica: TestReplica;
  beforeAll(async () => {
    pg = await createTestDatabase();
    await seedCentralDatabase(pg.db, { demo: true, now: NOW });
    replica = createTestReplica();
    seedLocalDatabase(replica.db, { demo: true, now: NOW });
  });
  afterAll(async () => {
    await pg.drop();
    replica.close();
  });

  describe.each(VIOLATIONS.map((v) => [v.what, v] as const))('reject %s', (_what, violation) => {
    it('in SQLite', () => {
      const insert = () =>
        replica.db.insert(localSyncedTables[violation.table]).values(violation.row()).run();
      expect(insert).toThrow(SQLITE_MESSAGES[violation.kind]);
      if (violation.kind === 'check' && violation.constraint)
        expect(insert).toThrow(violation.constraint);
    });

    it('in PostgreSQL', async () => {
      const error: unknown = await pg.db
        .insert(centralSyncedTables[violation.table])
        .values(violation.row())
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).not.toBeNull();
      const cause = postgresCause(error);
      expect(cause.code).toBe(POSTGRES_CODES[violation.kind]);
      if (violation.constraint) expect(cause.constraint).toBe(violation.constraint);
    });
  });

  describe('ON DELETE', () => {
    const patientId = () => String(demoRow('patients').id);

    it('refuses to hard-delete a patient who has visits, in both databases', async () => {
      expect(() =>
        replica.db.delete(local.patients).where(eq(local.patients.id, patientId())).run(),
      ).toThrow(SQLITE_MESSAGES['foreign key']);
      const error = await pg.db
        .delete(central.patients)
        .where(eq(central.patients.id, patientId()))
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(postgresCause(error).code).toBe('23503');
    });

    it("cascades a user's direct grants when the account is removed, in both databases", async () => {
      const userId = demoUserId('patient@hass.example');
      const grant = {
        id: '00000000-0000-4000-a000-000000000001',
        hospitalId: String(demoRow('hospitals').id),
        userId,
        permissionId: String(demoRow('permissions').id),
        grantedBy: null,
        expiresAt: null,
        reason: 'test',
      };
      replica.db.insert(local.userPermissions).values(grant).run();
      replica.db.delete(local.users).where(eq(local.users.id, userId)).run();
      expect(
        replica.db
          .select()
          .from(local.userPermissions)
          .where(eq(local.userPermissions.id, grant.id))
          .all(),
      ).toEqual([]);

      await pg.db.insert(central.userPermissions).values(grant);
      await pg.db.delete(central.users).where(eq(central.users.id, userId));
      expect(
        await pg.db
          .select()
          .from(central.userPermissions)
          .where(eq(central.userPermissions.id, grant.id)),
      ).toEqual([]);
      expect(
        await pg.db
          .select()
          .from(central.userCredentials)
          .where(eq(central.userCredentials.userId, userId)),
      ).toEqual([]);
    });
  });
});

import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  sqliteTable,
  text,
  type AnySQLiteColumn,
} from 'drizzle-orm/sqlite-core';
import { LAB_TEST_STATUSES, LAB_URGENCIES } from '../../../shared/schemas/lab-tests';
import {
  ADMINISTRATION_STATUSES,
  PRESCRIPTION_STATUSES,
  ROUTES,
} from '../../../shared/schemas/medications';
import { oneOf } from '../../enum-check';
import { users } from './access';
import { patients, visits } from './care';
import { syncColumns, timestamp } from './columns';
import { scopedToHospital } from './organisation';

export const labTests = sqliteTable(
  'lab_tests',
  {
    ...syncColumns(scopedToHospital()),
    visitId: text().references(() => visits.id, { onDelete: 'restrict' }),
    patientId: text()
      .notNull()
      .references(() => patients.id, { onDelete: 'restrict' }),
    testCode: text().notNull(),
    testName: text().notNull(),
    urgency: text({ enum: LAB_URGENCIES }).notNull().default('routine'),
    status: text({ enum: LAB_TEST_STATUSES }).notNull().default('pending'),
    orderedBy: text()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    orderedAt: timestamp().notNull(),
    acceptedBy: text().references(() => users.id, { onDelete: 'set null' }),
    acceptedAt: timestamp(),
    startedAt: timestamp(),
    completedAt: timestamp(),
    result: text(),
    reportAttachment: text(),
    cancellationReason: text(),
  },
  (t) => [
    index('lab_tests_patient_status_idx').on(t.patientId, t.status),
    index('lab_tests_status_created_idx').on(t.status, t.createdAt),
    index('lab_tests_visit_idx').on(t.visitId),
    check('lab_tests_status_check', oneOf(t.status, LAB_TEST_STATUSES)),
    check('lab_tests_urgency_check', oneOf(t.urgency, LAB_URGENCIES)),
    check('lab_tests_result_check', sql`${t.status} <> 'completed' or ${t.result} is not null`),
  ],
);

export const prescriptions = sqliteTable(
  'prescriptions',
  {
    ...syncColumns(scopedToHospital()),
    visitId: text().references(() => visits.id, { onDelete: 'restrict' }),
    patientId: text()
      .notNull()
      .references(() => patients.id, { onDelete: 'restrict' }),
    drug: text().notNull(),
    dose: text().notNull(),
    frequency: text().notNull(),
    route: text({ enum: ROUTES }).notNull(),
    durationDays: integer(),
    startsAt: timestamp().notNull(),
    endsAt: timestamp(),
    status: text({ enum: PRESCRIPTION_STATUSES }).notNull().default('active'),
    prescribedBy: text()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    notes: text(),
  },
  (t) => [
    index('prescriptions_patient_status_idx').on(t.patientId, t.status),
    index('prescriptions_status_created_idx').on(t.status, t.createdAt),
    index('prescriptions_visit_idx').on(t.visitId),
    check('prescriptions_route_check', oneOf(t.route, ROUTES)),
    check('prescriptions_status_check', oneOf(t.status, PRESCRIPTION_STATUSES)),
    check(
      'prescriptions_duration_check',
      sql`${t.durationDays} is null or ${t.durationDays} between 1 and 365`,
    ),
  ],
);

/** The MAR. Append-only: a correction is a new row whose enteredInErrorId names the old one. */
export const medicationAdministrations = sqliteTable(
  'medication_administrations',
  {
    ...syncColumns(scopedToHospital()),
    prescriptionId: text()
      .notNull()
      .references(() => prescriptions.id, { onDelete: 'restrict' }),
    visitId: text().references(() => visits.id, { onDelete: 'restrict' }),
    patientId: text()
      .notNull()
      .references(() => patients.id, { onDelete: 'restrict' }),
    scheduledFor: timestamp().notNull(),
    status: text({ enum: ADMINISTRATION_STATUSES }).notNull(),
    reason: text(),
    administeredAt: timestamp().notNull(),
    administeredBy: text()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    enteredInErrorId: text().references((): AnySQLiteColumn => medicationAdministrations.id, {
      onDelete: 'restrict',
    }),
  },
  (t) => [
    index('mar_prescription_scheduled_idx').on(t.prescriptionId, t.scheduledFor),
    index('mar_visit_scheduled_idx').on(t.visitId, t.scheduledFor),
    index('mar_entered_in_error_idx')
      .on(t.enteredInErrorId)
      .where(sql`${t.enteredInErrorId} is not null`),
    check('mar_status_check', oneOf(t.status, ADMINISTRATION_STATUSES)),
    check('mar_reason_check', sql`${t.status} = 'given' or ${t.reason} is not null`),
  ],
);

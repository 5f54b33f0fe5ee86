import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  real,
  sqliteTable,
  text,
  type AnySQLiteColumn,
} from 'drizzle-orm/sqlite-core';
import { NURSE_LOG_KINDS } from '../../../shared/schemas/nurse-logs';
import type { AbnormalFlag } from '../../../shared/schemas/vitals';
import { VITAL_BOUNDS } from '../../../shared/schemas/vitals';
import { oneOf } from '../../enum-check';
import { users } from './access';
import { patients, visits } from './care';
import { json, syncColumns, timestamp } from './columns';
import { scopedToHospital } from './organisation';

const within = (column: AnySQLiteColumn, sign: keyof typeof VITAL_BOUNDS) =>
  sql`${column} is null or ${column} between ${sql.raw(String(VITAL_BOUNDS[sign].min))} and ${sql.raw(String(VITAL_BOUNDS[sign].max))}`;

/** Append-only: a correction is a new row whose enteredInErrorId names the row it replaces. */
export const vitals = sqliteTable(
  'vitals',
  {
    ...syncColumns(scopedToHospital()),
    visitId: text()
      .notNull()
      .references(() => visits.id, { onDelete: 'restrict' }),
    patientId: text()
      .notNull()
      .references(() => patients.id, { onDelete: 'restrict' }),
    recordedAt: timestamp().notNull(),
    temperatureC: real(),
    heartRate: integer(),
    systolic: integer(),
    diastolic: integer(),
    respiratoryRate: integer(),
    spo2: integer(),
    weightKg: real(),
    heightCm: real(),
    bmi: real(),
    abnormal: json<AbnormalFlag[]>().notNull().default([]),
    recordedBy: text()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    notes: text(),
    enteredInErrorId: text().references((): AnySQLiteColumn => vitals.id, {
      onDelete: 'restrict',
    }),
  },
  (t) => [
    index('vitals_visit_recorded_idx').on(t.visitId, t.recordedAt),
    index('vitals_patient_recorded_idx').on(t.patientId, t.recordedAt),
    // "Was this entry replaced?" is asked for every row the board and the chart show. Partial:
    // nearly every row is null, and a full index on it makes the planner expect a scan.
    index('vitals_entered_in_error_idx')
      .on(t.enteredInErrorId)
      .where(sql`${t.enteredInErrorId} is not null`),
    check('vitals_temperature_check', within(t.temperatureC, 'temperatureC')),
    check('vitals_heart_rate_check', within(t.heartRate, 'heartRate')),
    check('vitals_systolic_check', within(t.systolic, 'systolic')),
    check('vitals_diastolic_check', within(t.diastolic, 'diastolic')),
    check('vitals_respiratory_rate_check', within(t.respiratoryRate, 'respiratoryRate')),
    check('vitals_spo2_check', within(t.spo2, 'spo2')),
    check('vitals_weight_check', within(t.weightKg, 'weightKg')),
    check('vitals_height_check', within(t.heightCm, 'heightCm')),
  ],
);

export const nurseLogs = sqliteTable(
  'nurse_logs',
  {
    ...syncColumns(scopedToHospital()),
    visitId: text()
      .notNull()
      .references(() => visits.id, { onDelete: 'restrict' }),
    patientId: text()
      .notNull()
      .references(() => patients.id, { onDelete: 'restrict' }),
    kind: text({ enum: NURSE_LOG_KINDS }).notNull(),
    body: text().notNull(),
    recordedAt: timestamp().notNull(),
    recordedBy: text()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    enteredInErrorId: text().references((): AnySQLiteColumn => nurseLogs.id, {
      onDelete: 'restrict',
    }),
  },
  (t) => [
    index('nurse_logs_visit_recorded_idx').on(t.visitId, t.recordedAt),
    index('nurse_logs_kind_created_idx').on(t.kind, t.createdAt),
    index('nurse_logs_entered_in_error_idx')
      .on(t.enteredInErrorId)
      .where(sql`${t.enteredInErrorId} is not null`),
    check('nurse_logs_kind_check', oneOf(t.kind, NURSE_LOG_KINDS)),
  ],
);

import { sql } from 'drizzle-orm';
import { check, index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Allergy } from '../../../shared/schemas/patients';
import { SEXES } from '../../../shared/schemas/patients';
import { VISIT_STATUSES } from '../../../shared/schemas/visits';
import { oneOf } from '../../enum-check';
import { users } from './access';
import { json, syncColumns, timestamp } from './columns';
import { beds, scopedToHospital, wards } from './organisation';

export const patients = sqliteTable(
  'patients',
  {
    ...syncColumns(scopedToHospital()),
    mrn: text().notNull(),
    firstName: text().notNull(),
    lastName: text().notNull(),
    dateOfBirth: text().notNull(),
    sex: text({ enum: SEXES }).notNull(),
    phone: text(),
    email: text(),
    address: text(),
    emergencyContactName: text(),
    emergencyContactPhone: text(),
    allergies: json<Allergy[]>().notNull().default([]),
  },
  (t) => [
    uniqueIndex('patients_hospital_mrn_unique').on(t.hospitalId, t.mrn),
    index('patients_hospital_name_idx').on(t.hospitalId, t.lastName, t.firstName),
    index('patients_hospital_dob_idx').on(t.hospitalId, t.dateOfBirth),
    // Name search is case-insensitive prefix search (main/services/patient-search.ts).
    index('patients_hospital_last_lower_idx').on(
      t.hospitalId,
      sql`lower(${t.lastName})`,
      sql`lower(${t.firstName})`,
    ),
    index('patients_hospital_first_lower_idx').on(
      t.hospitalId,
      sql`lower(${t.firstName})`,
      sql`lower(${t.lastName})`,
    ),
    check('patients_sex_check', oneOf(t.sex, SEXES)),
  ],
);

export const visits = sqliteTable(
  'visits',
  {
    ...syncColumns(scopedToHospital()),
    patientId: text()
      .notNull()
      .references(() => patients.id, { onDelete: 'restrict' }),
    wardId: text()
      .notNull()
      .references(() => wards.id, { onDelete: 'restrict' }),
    bedId: text().references(() => beds.id, { onDelete: 'set null' }),
    attendingDoctorId: text().references(() => users.id, { onDelete: 'set null' }),
    status: text({ enum: VISIT_STATUSES }).notNull().default('admitted'),
    admissionReason: text(),
    admittedAt: timestamp().notNull(),
    dischargedAt: timestamp(),
    dischargeSummary: text(),
  },
  (t) => [
    index('visits_patient_status_idx').on(t.patientId, t.status),
    index('visits_ward_status_idx').on(t.wardId, t.status),
    index('visits_status_created_idx').on(t.status, t.createdAt),
    // A bed holds one active visit; two offline admissions to it must surface as a conflict.
    uniqueIndex('visits_active_bed_unique')
      .on(t.bedId)
      .where(sql`${t.status} = 'admitted' and ${t.deletedAt} is null and ${t.bedId} is not null`),
    check('visits_status_check', oneOf(t.status, VISIT_STATUSES)),
    check(
      'visits_discharged_at_check',
      sql`${t.status} <> 'discharged' or ${t.dischargedAt} is not null`,
    ),
  ],
);

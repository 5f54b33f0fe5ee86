import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { APPOINTMENT_STATUSES } from '../../../shared/schemas/appointments';
import { INVENTORY_ITEM_TYPES } from '../../../shared/schemas/inventory';
import { oneOf } from '../../enum-check';
import { users } from './access';
import { patients } from './care';
import { syncColumns, timestamp } from './columns';
import { scopedToHospital } from './organisation';

export const appointments = pgTable(
  'appointments',
  {
    ...syncColumns(scopedToHospital()),
    patientId: uuid()
      .notNull()
      .references(() => patients.id, { onDelete: 'restrict' }),
    doctorId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    scheduledAt: timestamp().notNull(),
    durationMinutes: integer().notNull().default(15),
    status: text({ enum: APPOINTMENT_STATUSES }).notNull().default('scheduled'),
    reason: text(),
    checkedInAt: timestamp(),
    cancellationReason: text(),
  },
  (t) => [
    index('appointments_doctor_scheduled_idx').on(t.doctorId, t.scheduledAt),
    index('appointments_patient_status_idx').on(t.patientId, t.status),
    check('appointments_status_check', oneOf(t.status, APPOINTMENT_STATUSES)),
    check('appointments_duration_check', sql`${t.durationMinutes} between 5 and 480`),
  ],
);

export const inventory = pgTable(
  'inventory',
  {
    ...syncColumns(scopedToHospital()),
    itemType: text({ enum: INVENTORY_ITEM_TYPES }).notNull(),
    name: text().notNull(),
    sku: text(),
    quantity: integer().notNull().default(0),
    unit: text().notNull(),
    threshold: integer().notNull().default(0),
    expiresOn: date({ mode: 'string' }),
    location: text(),
  },
  (t) => [
    index('inventory_hospital_type_idx').on(t.hospitalId, t.itemType),
    index('inventory_expires_idx').on(t.expiresOn),
    check('inventory_item_type_check', oneOf(t.itemType, INVENTORY_ITEM_TYPES)),
    check('inventory_quantity_check', sql`${t.quantity} >= 0 and ${t.threshold} >= 0`),
  ],
);

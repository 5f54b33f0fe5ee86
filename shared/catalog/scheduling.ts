import { date, enumOf, integer, text, timestamp, uuid } from './columns';
import { check, index, syncedTable } from './table';

const AREA = 'scheduling';

export const APPOINTMENT_STATUSES = [
  'scheduled',
  'checked_in',
  'completed',
  'cancelled',
  'no_show',
] as const;

export const appointments = syncedTable('appointments', {
  area: AREA,
  description: 'An outpatient appointment with a doctor, booked and checked in at reception.',
  columns: {
    patientId: uuid().references('patients', { onDelete: 'restrict' }),
    doctorId: uuid().references('users', { onDelete: 'restrict' }),
    scheduledAt: timestamp(),
    durationMinutes: integer({ min: 5, max: 480, check: 'appointments_duration_check' }).default(
      15,
    ),
    status: enumOf(APPOINTMENT_STATUSES).default('scheduled'),
    reason: text({ max: 500 }).nullable(),
    checkedInAt: timestamp().nullable(),
    cancellationReason: text({ max: 500 }).nullable(),
  },
  indexes: [
    index('appointments_doctor_scheduled_idx', ['doctorId', 'scheduledAt']),
    index('appointments_patient_status_idx', ['patientId', 'status']),
  ],
  permissions: {
    insert: 'appointments:manage',
    update: 'appointments:manage',
    delete: 'appointments:manage',
  },
});

export const INVENTORY_ITEM_TYPES = ['medication', 'supply', 'equipment'] as const;

export const inventory = syncedTable('inventory', {
  area: AREA,
  description: 'Stock of one item (medication, supply or equipment) and when to reorder it.',
  columns: {
    itemType: enumOf(INVENTORY_ITEM_TYPES),
    name: text({ max: 160 }),
    sku: text({ max: 64 }).nullable(),
    quantity: integer({ min: 0, check: false }).default(0),
    unit: text({ max: 24 }),
    threshold: integer({ min: 0, check: false }).default(0),
    expiresOn: date().nullable(),
    location: text({ max: 120 }).nullable(),
  },
  indexes: [
    index('inventory_hospital_type_idx', ['hospitalId', 'itemType']),
    index('inventory_expires_idx', ['expiresOn']),
  ],
  checks: [check('inventory_quantity_check', '{quantity} >= 0 and {threshold} >= 0')],
  permissions: {
    insert: 'inventory:adjust',
    update: 'inventory:adjust',
    delete: 'inventory:adjust',
  },
});

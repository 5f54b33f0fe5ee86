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
  serverChecks: ['slot_taken'],
});

export const INVENTORY_ITEM_TYPES = ['medication', 'supply', 'equipment'] as const;

export const inventory = syncedTable('inventory', {
  area: AREA,
  description:
    'One stock item (medication, supply or equipment) and when to reorder it. How many are in ' +
    'stock is the sum of its inventory_movements.',
  columns: {
    itemType: enumOf(INVENTORY_ITEM_TYPES),
    name: text({ max: 160 }),
    sku: text({ max: 64 }).nullable(),
    unit: text({ max: 24 }),
    threshold: integer({ min: 0, check: 'inventory_threshold_check' }).default(0),
    expiresOn: date().nullable(),
    location: text({ max: 120 }).nullable(),
  },
  indexes: [
    index('inventory_hospital_type_idx', ['hospitalId', 'itemType']),
    index('inventory_expires_idx', ['expiresOn']),
  ],
  permissions: {
    insert: 'inventory:adjust',
    update: 'inventory:adjust',
    delete: 'inventory:adjust',
  },
});

export const STOCK_MOVEMENT_KINDS = ['received', 'dispensed', 'adjusted', 'expired'] as const;
export type StockMovementKind = (typeof STOCK_MOVEMENT_KINDS)[number];

/**
 * Stock is the sum of its movements, never a number overwritten: two workstations dispensing the
 * same item offline add up instead of conflicting, and every change keeps who, when and why.
 */
export const inventoryMovements = syncedTable('inventory_movements', {
  area: AREA,
  description:
    'One change of stock (received, dispensed, adjusted, expired) with its reason. Append-only: ' +
    'the quantity on hand is the sum; a mistake is corrected by an adjustment.',
  columns: {
    itemId: uuid().references('inventory', { onDelete: 'restrict' }),
    kind: enumOf(STOCK_MOVEMENT_KINDS),
    /** The signed change: positive adds to the stock, negative takes from it. */
    quantity: integer({ min: -100_000, max: 100_000, check: false }),
    reason: text({ max: 300 }),
    /** Null only for the opening balance brought forward from before movements were kept. */
    recordedBy: uuid().nullable().references('users', { onDelete: 'restrict' }),
    recordedAt: timestamp(),
  },
  indexes: [index('inventory_movements_item_idx', ['itemId', 'recordedAt'])],
  checks: [
    check(
      'inventory_movements_sign_check',
      "({kind} = 'received' and {quantity} > 0) or ({kind} in ('dispensed', 'expired') and {quantity} < 0) or ({kind} = 'adjusted' and {quantity} <> 0)",
      'Received adds, dispensed and expired take away, an adjustment changes something.',
    ),
  ],
  entryRules: [
    {
      holds: (entry) =>
        entry.kind === 'received'
          ? entry.quantity > 0
          : entry.kind === 'adjusted'
            ? entry.quantity !== 0
            : entry.quantity < 0,
      message:
        'Received stock adds, dispensed and expired stock takes away, an adjustment is not zero',
      field: 'quantity',
    },
  ],
  appendOnly: true,
  permissions: { insert: 'inventory:adjust' },
  serverChecks: ['negative_stock'],
});

import { z } from 'zod';
import { boolean, code, enumOf, integer, json, text, uuid } from './columns';
import { check, index, syncedTable, uniqueIndex } from './table';

const AREA = 'organisation';

/** Region, hospital and ward codes. */
const orgCode = () =>
  code(/^[A-Z0-9][A-Z0-9_-]{0,15}$/, 'Use 1–16 capital letters, digits, - or _');

export const BED_STATUSES = ['available', 'occupied', 'maintenance', 'reserved'] as const;
export type BedStatus = (typeof BED_STATUSES)[number];

export const regions = syncedTable('regions', {
  area: AREA,
  description: 'A region groups hospitals; regional administrators work across one.',
  scope: 'reference',
  columns: {
    code: orgCode().unique('regions_code_unique'),
    name: text({ max: 120 }),
    themeSettings: json(z.record(z.string(), z.unknown()).default({})).default({}),
  },
});

export const hospitals = syncedTable('hospitals', {
  area: AREA,
  description: 'A hospital. A hospital row is scoped to itself: its hospitalId is its own id.',
  hospitalId: 'own id',
  columns: {
    code: orgCode().unique('hospitals_code_unique'),
    name: text({ max: 160 }),
    regionId: uuid().references('regions', { onDelete: 'restrict' }),
    bedCapacity: integer({ min: 0, max: 10_000, check: false }).default(0),
    /**
     * Staff ward assignment in use (issue 15): a person then reads the charts of their assigned
     * wards' patients, and any other admitted patient's chart by break-glass. Off, everyone keeps
     * the hospital-wide view.
     */
    wardAssignment: boolean().default(false),
  },
  indexes: [index('hospitals_region_idx', ['regionId'])],
  checks: [check('hospitals_bed_capacity_check', '{bedCapacity} >= 0')],
  permissions: { update: 'hospitals:manage' },
});

export const wards = syncedTable('wards', {
  area: AREA,
  description: 'A ward of one hospital.',
  columns: {
    code: orgCode(),
    name: text({ max: 120 }),
    floor: integer({ min: -5, max: 200, check: false }),
  },
  indexes: [uniqueIndex('wards_hospital_code_unique', ['hospitalId', 'code'])],
  permissions: {
    insert: 'hospitals:manage',
    update: 'hospitals:manage',
    delete: 'hospitals:manage',
  },
});

export const beds = syncedTable('beds', {
  area: AREA,
  description: 'A bed of a ward; its number is unique in the hospital.',
  columns: {
    wardId: uuid().references('wards', { onDelete: 'restrict' }),
    number: text({ max: 16 }),
    floor: integer({ min: -5, max: 200, check: false }),
    status: enumOf(BED_STATUSES).default('available'),
  },
  indexes: [
    uniqueIndex('beds_hospital_number_unique', ['hospitalId', 'number']),
    index('beds_ward_status_idx', ['wardId', 'status']),
  ],
  permissions: {
    insert: 'hospitals:manage',
    delete: 'hospitals:manage',
    // An admission, transfer or discharge occupies or frees its bed as part of the same change
    // (main/services/beds.ts); only taking a bed out of use (maintenance, reserved) is managing it.
    update: {
      statusTo: {
        occupied: 'visits:admit',
        available: 'visits:admit',
        maintenance: 'beds:manage',
        reserved: 'beds:manage',
      },
      // Back into use after maintenance or a reservation ends is managing the bed, not admitting.
      statusMoves: {
        'maintenance->available': 'beds:manage',
        'reserved->available': 'beds:manage',
      },
      otherFields: 'beds:manage',
      // Nothing changed (another workstation set the same status first).
      otherwise: 'beds:read',
    },
  },
});

import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { BED_STATUSES } from '../../../shared/schemas/organisation';
import { oneOf } from '../../enum-check';
import { json, syncColumns } from './columns';

/** hospitalId of a row that belongs to one hospital. Hospitals are never hard-deleted. */
export const scopedToHospital = () =>
  text()
    .notNull()
    .references(() => hospitals.id, { onDelete: 'restrict' });

export const regions = sqliteTable('regions', {
  ...syncColumns(text()),
  code: text().notNull().unique('regions_code_unique'),
  name: text().notNull(),
  themeSettings: json<Record<string, unknown>>().notNull().default({}),
});

export const hospitals = sqliteTable(
  'hospitals',
  {
    ...syncColumns(text().notNull()),
    code: text().notNull().unique('hospitals_code_unique'),
    name: text().notNull(),
    regionId: text()
      .notNull()
      .references(() => regions.id, { onDelete: 'restrict' }),
    bedCapacity: integer().notNull().default(0),
  },
  (t) => [
    index('hospitals_region_idx').on(t.regionId),
    check('hospitals_bed_capacity_check', sql`${t.bedCapacity} >= 0`),
  ],
);

export const wards = sqliteTable(
  'wards',
  {
    ...syncColumns(scopedToHospital()),
    code: text().notNull(),
    name: text().notNull(),
    floor: integer().notNull(),
  },
  (t) => [uniqueIndex('wards_hospital_code_unique').on(t.hospitalId, t.code)],
);

export const beds = sqliteTable(
  'beds',
  {
    ...syncColumns(scopedToHospital()),
    wardId: text()
      .notNull()
      .references(() => wards.id, { onDelete: 'restrict' }),
    number: text().notNull(),
    floor: integer().notNull(),
    status: text({ enum: BED_STATUSES }).notNull().default('available'),
  },
  (t) => [
    uniqueIndex('beds_hospital_number_unique').on(t.hospitalId, t.number),
    index('beds_ward_status_idx').on(t.wardId, t.status),
    check('beds_status_check', oneOf(t.status, BED_STATUSES)),
  ],
);

import { z } from 'zod';
import { IdSchema, SyncColumnsSchema, textField } from './common';

const code = z
  .string()
  .trim()
  .regex(/^[A-Z0-9][A-Z0-9_-]{0,15}$/, 'Use 1–16 capital letters, digits, - or _');

export const RegionFieldsSchema = z.object({
  code,
  name: textField(120),
  themeSettings: z.record(z.string(), z.unknown()).default({}),
});
export const RegionSchema = SyncColumnsSchema.extend(RegionFieldsSchema.shape);
export type Region = z.infer<typeof RegionSchema>;

export const HospitalFieldsSchema = z.object({
  code,
  name: textField(160),
  regionId: IdSchema,
  bedCapacity: z.number().int().nonnegative().max(10_000),
});
export const HospitalSchema = SyncColumnsSchema.extend(HospitalFieldsSchema.shape);
export type Hospital = z.infer<typeof HospitalSchema>;

export const WardFieldsSchema = z.object({
  code,
  name: textField(120),
  floor: z.number().int().min(-5).max(200),
});
export const WardSchema = SyncColumnsSchema.extend(WardFieldsSchema.shape);
export type Ward = z.infer<typeof WardSchema>;

export const BED_STATUSES = ['available', 'occupied', 'maintenance', 'reserved'] as const;
export type BedStatus = (typeof BED_STATUSES)[number];

export const BedFieldsSchema = z.object({
  wardId: IdSchema,
  number: textField(16),
  floor: z.number().int().min(-5).max(200),
  status: z.enum(BED_STATUSES),
});
export const BedSchema = SyncColumnsSchema.extend(BedFieldsSchema.shape);
export type Bed = z.infer<typeof BedSchema>;

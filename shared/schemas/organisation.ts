import type { z } from 'zod';
import { beds, hospitals, regions, wards } from '../catalog/organisation';
import { SyncColumnsSchema } from './common';

export { BED_STATUSES, type BedStatus } from '../catalog/organisation';

// Derived from the catalog entries (shared/catalog/organisation.ts).
export const RegionFieldsSchema = regions.fields;
export const RegionSchema = SyncColumnsSchema.extend(RegionFieldsSchema.shape);
export type Region = z.infer<typeof RegionSchema>;

export const HospitalFieldsSchema = hospitals.fields;
export const HospitalSchema = SyncColumnsSchema.extend(HospitalFieldsSchema.shape);
export type Hospital = z.infer<typeof HospitalSchema>;

export const WardFieldsSchema = wards.fields;
export const WardSchema = SyncColumnsSchema.extend(WardFieldsSchema.shape);
export type Ward = z.infer<typeof WardSchema>;

export const BedFieldsSchema = beds.fields;
export const BedSchema = SyncColumnsSchema.extend(BedFieldsSchema.shape);
export type Bed = z.infer<typeof BedSchema>;

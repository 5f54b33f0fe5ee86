import type { z } from 'zod';
import { nurseLogs } from '../catalog/clinical';
import { SyncColumnsSchema } from './common';

export { NURSE_LOG_KINDS } from '../catalog/clinical';

// Derived from the catalog entry (shared/catalog/clinical.ts).
export const NurseLogFieldsSchema = nurseLogs.fields;
export const NurseLogSchema = SyncColumnsSchema.extend(NurseLogFieldsSchema.shape);
export type NurseLog = z.infer<typeof NurseLogSchema>;

import type { z } from 'zod';
import { vitals } from '../catalog/clinical';
import { SyncColumnsSchema } from './common';

export {
  AbnormalFlagSchema,
  VITAL_BOUNDS,
  type AbnormalFlag,
  type VitalSign,
} from '../catalog/clinical';

// Derived from the catalog entry (shared/catalog/clinical.ts).
export const VitalsFieldsSchema = vitals.fields;
export const VitalsSchema = SyncColumnsSchema.extend(VitalsFieldsSchema.shape);
export type Vitals = z.infer<typeof VitalsSchema>;

import type { z } from 'zod';
import { labTests } from '../catalog/orders';
import { SyncColumnsSchema } from './common';

export {
  LAB_TEST_STATUSES,
  LAB_TEST_TRANSITIONS,
  LAB_URGENCIES,
  type LabTestStatus,
} from '../catalog/orders';

// Derived from the catalog entry (shared/catalog/orders.ts).
export const LabTestFieldsSchema = labTests.fields;
export const LabTestSchema = SyncColumnsSchema.extend(LabTestFieldsSchema.shape);
export type LabTest = z.infer<typeof LabTestSchema>;

import type { z } from 'zod';
import { visits } from '../catalog/care';
import { SyncColumnsSchema } from './common';

export { VISIT_STATUSES, VISIT_TRANSITIONS, type VisitStatus } from '../catalog/care';

// Derived from the catalog entry (shared/catalog/care.ts).
export const VisitFieldsSchema = visits.fields;
export const VisitSchema = SyncColumnsSchema.extend(VisitFieldsSchema.shape);
export type Visit = z.infer<typeof VisitSchema>;

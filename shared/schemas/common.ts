import { z } from 'zod';

export const IdSchema = z.uuid();
export const TimestampSchema = z.iso.datetime({ offset: true });
export const DateSchema = z.iso.date();

/** Free text a person typed: trimmed, never empty when present. */
export const textField = (max: number) => z.string().trim().min(1).max(max);

/**
 * Columns every synced row carries. The server sets `version`, `updatedAt`, `hospitalId` and
 * `updatedBy` itself; a client's values for them are ignored on push.
 */
export const SyncColumnsSchema = z.object({
  id: IdSchema,
  hospitalId: IdSchema.nullable(),
  version: z.number().int().nonnegative(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  deletedAt: TimestampSchema.nullable(),
  updatedBy: IdSchema.nullable(),
});

export type SyncColumns = z.infer<typeof SyncColumnsSchema>;

export const SYNC_COLUMN_KEYS = Object.keys(SyncColumnsSchema.shape) as (keyof SyncColumns)[];

import { eq, type InferSelectModel, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { refuse } from '../errors';
import type { WriteBatch } from './write-path';

/**
 * Clinical entries are append-only: a correction is a new entry naming the one it replaces
 * (`enteredInErrorId`), never an edit. An entry can be replaced once; correct the correction.
 */
export function requireCorrectable<T extends SQLiteTable & { enteredInErrorId: SQLiteColumn }>(
  batch: WriteBatch,
  table: T,
  entryId: string,
): InferSelectModel<T> {
  const original = batch.read(table, entryId);
  const where: SQL = eq(table.enteredInErrorId, entryId);
  const already = batch.db.select().from(table).where(where).get();
  if (already)
    refuse('already_corrected', 'That entry was already marked as entered in error and replaced.');
  return original;
}

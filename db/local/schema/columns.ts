import { sql } from 'drizzle-orm';
import { integer, text, type SQLiteColumnBuilderBase } from 'drizzle-orm/sqlite-core';

/** ISO-8601 UTC with milliseconds, the same text the sync protocol carries. */
export const nowIso = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

export const timestamp = () => text();
export const json = <T>() => text({ mode: 'json' }).$type<T>();
export const bool = () => integer({ mode: 'boolean' });

/**
 * The sync columns of every synced row. `version` is 0 until the server has assigned one.
 * `hospitalId` is passed in because it differs by table: a foreign key to `hospitals` for scoped
 * rows, nullable for users and reference data, the row's own id for a hospital.
 */
export function syncColumns<H extends SQLiteColumnBuilderBase>(hospitalId: H) {
  return {
    id: text().primaryKey(),
    hospitalId,
    version: integer().notNull().default(0),
    createdAt: timestamp().notNull().default(nowIso),
    updatedAt: timestamp().notNull().default(nowIso),
    deletedAt: timestamp(),
    updatedBy: text(),
  };
}

import {
  integer,
  timestamp as pgTimestamp,
  uuid,
  jsonb,
  type PgColumnBuilderBase,
} from 'drizzle-orm/pg-core';

/** timestamptz, read and written as ISO strings at the edges (see server row mapping). */
export const timestamp = () => pgTimestamp({ withTimezone: true, mode: 'string', precision: 3 });
export const json = <T>() => jsonb().$type<T>();

/**
 * The sync columns of every synced row; the server owns `version`, `updatedAt`, `updatedBy`
 * and `hospitalId`. `hospitalId` is passed in because it differs by table (see db/local).
 */
export function syncColumns<H extends PgColumnBuilderBase>(hospitalId: H) {
  return {
    id: uuid().primaryKey(),
    hospitalId,
    version: integer().notNull().default(1),
    createdAt: timestamp().notNull().defaultNow(),
    updatedAt: timestamp().notNull().defaultNow(),
    deletedAt: timestamp(),
    updatedBy: uuid(),
  };
}

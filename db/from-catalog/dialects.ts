/**
 * How each database stores the catalog's column kinds, as drizzle builder calls. The two lists
 * side by side are the whole difference between the replica's schema and the server's.
 */
import type { ColumnKind } from '../../shared/catalog/columns';
import type { IndexSpec, SyncedTable } from '../../shared/catalog/table';

export interface Builder {
  /** The call that starts the column, e.g. `uuid()` or `json<…>()`. */
  call: string;
  /** Names it needs from the dialect's core module and from the folder's ./columns. */
  core?: string;
  local?: string;
}

export interface Dialect {
  name: 'sqlite' | 'postgres';
  /** The schema folder (db/local/schema or db/central/schema). */
  folder: string;
  core: string;
  tableFunction: string;
  anyColumn: string;
  /** A uuid reference column: hospital ids, foreign keys. */
  id: Builder;
  column(kind: ColumnKind, values: readonly string[] | undefined, jsonType: string): Builder;
  indexes(table: SyncedTable): readonly IndexSpec[];
  /** The drizzle table type its synced-tables map holds. */
  tableType: string;
  mapName: string;
}

const enumText = (values: readonly string[] | undefined) =>
  `text({ enum: ${JSON.stringify(values ?? [])} })`;

export const SQLITE: Dialect = {
  name: 'sqlite',
  folder: 'db/local',
  core: 'drizzle-orm/sqlite-core',
  tableFunction: 'sqliteTable',
  anyColumn: 'AnySQLiteColumn',
  id: { call: 'text()', core: 'text' },
  column(kind, values, jsonType) {
    switch (kind) {
      case 'uuid':
      case 'text':
      case 'date':
        return { call: 'text()', core: 'text' };
      case 'enum':
        return { call: enumText(values), core: 'text' };
      case 'integer':
        return { call: 'integer()', core: 'integer' };
      case 'real':
        return { call: 'real()', core: 'real' };
      case 'boolean':
        return { call: 'bool()', local: 'bool' };
      case 'timestamp':
        return { call: 'timestamp()', local: 'timestamp' };
      case 'json':
        return { call: `json<${jsonType}>()`, local: 'json' };
    }
  },
  indexes: (table) => [...table.indexes, ...table.sqlite.indexes],
  tableType: 'SQLiteTable',
  mapName: 'localSyncedTables',
};

export const POSTGRES: Dialect = {
  name: 'postgres',
  folder: 'db/central',
  core: 'drizzle-orm/pg-core',
  tableFunction: 'pgTable',
  anyColumn: 'AnyPgColumn',
  id: { call: 'uuid()', core: 'uuid' },
  column(kind, values, jsonType) {
    switch (kind) {
      case 'uuid':
        return { call: 'uuid()', core: 'uuid' };
      case 'text':
        return { call: 'text()', core: 'text' };
      case 'enum':
        return { call: enumText(values), core: 'text' };
      case 'integer':
        return { call: 'integer()', core: 'integer' };
      case 'real':
        return { call: 'doublePrecision()', core: 'doublePrecision' };
      case 'boolean':
        return { call: 'boolean()', core: 'boolean' };
      case 'timestamp':
        return { call: 'timestamp()', local: 'timestamp' };
      case 'date':
        return { call: "date({ mode: 'string' })", core: 'date' };
      case 'json':
        return { call: `json<${jsonType}>()`, local: 'json' };
    }
  },
  indexes: (table) => [...table.indexes, ...table.postgres.indexes],
  tableType: 'PgTable',
  mapName: 'centralSyncedTables',
};

export const DIALECTS = [SQLITE, POSTGRES] as const;

/**
 * Writes server rows into the replica. Pull applies up to a million rows on a first sync, so
 * each synced table gets one prepared upsert built from its drizzle columns, and values are
 * converted with the columns' own driver mapping (JSON to text, booleans to 0/1).
 */
import type { Statement } from 'better-sqlite3';
import { getTableColumns, getTableName, type Column } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import type { LocalDb } from '../../db/local/open';
import { localSyncedTables } from '../../db/local/synced-tables';
import { findSyncedTable, type SyncedTableName } from '../../shared/synced-tables';

interface TableWriter {
  columns: [key: string, column: Column][];
  upsert: Statement;
  selectVersion: Statement<[string], { version: number }>;
}

/** What a replica keeps of a person outside its hospital (shared/catalog OutsiderView.keep). */
export interface OutsiderRow {
  id: string;
  version: number;
  fields: Record<string, unknown>;
  placeholders: Record<string, unknown>;
}

export interface ReplicaRows {
  /** Stores the server's row unless the replica already holds a newer version. */
  applyServerRow(table: SyncedTableName, row: Record<string, unknown>): boolean;
  /**
   * Stores an outsider view the same way: its fields replace what the replica holds, its
   * placeholders only fill a new row (a real email kept from that person's sign-in here stays).
   */
  applyOutsiderRow(table: SyncedTableName, row: OutsiderRow): boolean;
  /** Sets only the given fields of a row (rebasing pending local edits on top of a server row). */
  setFields(table: SyncedTableName, id: string, fields: Record<string, unknown>): void;
  version(table: SyncedTableName, id: string): number | null;
}

export function createReplicaRows(db: LocalDb): ReplicaRows {
  const writers = new Map<string, TableWriter>();

  function writerFor(table: SyncedTableName): TableWriter {
    const existing = writers.get(table);
    if (existing) return existing;
    const drizzleTable = localSyncedTables[table];
    const name = getTableName(drizzleTable);
    const columns = Object.entries(getTableColumns(drizzleTable));
    const names = columns.map(([key]) => `"${toSnakeCase(key)}"`);
    const updates = names.filter((n) => n !== '"id"').map((n) => `${n} = excluded.${n}`);
    const upsert = db.$client.prepare(
      `insert into "${name}" (${names.join(', ')}) values (${names.map(() => '?').join(', ')})
       on conflict (id) do update set ${updates.join(', ')}
       where excluded.version >= "${name}".version`,
    );
    const selectVersion = db.$client.prepare<[string], { version: number }>(
      `select version from "${name}" where id = ?`,
    );
    const writer = { columns, upsert, selectVersion };
    writers.set(table, writer);
    return writer;
  }

  return {
    applyServerRow(table, row) {
      const writer = writerFor(table);
      const values = writer.columns.map(([key, column]) => {
        const value = row[key];
        return value === undefined || value === null ? null : column.mapToDriverValue(value);
      });
      return writer.upsert.run(values).changes > 0;
    },
    applyOutsiderRow(table, row) {
      const drizzleTable = localSyncedTables[table];
      const name = getTableName(drizzleTable);
      const columns = getTableColumns(drizzleTable);
      const entries = (values: Record<string, unknown>) =>
        Object.entries(values).filter(([key]) => key in columns && key !== 'id');
      const updated = [['version', row.version] as const, ...entries(row.fields)];
      const inserted = [['id', row.id] as const, ...updated, ...entries(row.placeholders)];
      const toDriver = ([key, value]: readonly [string, unknown]) => {
        const column = columns[key];
        return value === null || value === undefined || !column
          ? null
          : column.mapToDriverValue(value);
      };
      const names = inserted.map(([key]) => `"${toSnakeCase(key)}"`);
      const updates = updated.map(
        ([key]) => `"${toSnakeCase(key)}" = excluded."${toSnakeCase(key)}"`,
      );
      return (
        db.$client
          .prepare(
            `insert into "${name}" (${names.join(', ')}) values (${names.map(() => '?').join(', ')})
             on conflict (id) do update set ${updates.join(', ')}
             where excluded.version >= "${name}".version`,
          )
          .run(...inserted.map(toDriver)).changes > 0
      );
    },
    setFields(table, id, fields) {
      const drizzleTable = localSyncedTables[table];
      const columns = getTableColumns(drizzleTable);
      const known = Object.entries(fields).filter(([key]) => key in columns && key !== 'id');
      if (known.length === 0) return;
      const assignments = known.map(([key]) => `"${toSnakeCase(key)}" = ?`).join(', ');
      const values = known.map(([key, value]) => {
        const column = columns[key];
        return value === null || value === undefined || !column
          ? null
          : column.mapToDriverValue(value);
      });
      db.$client
        .prepare(`update "${getTableName(drizzleTable)}" set ${assignments} where id = ?`)
        .run(...values, id);
    },
    version(table, id) {
      return writerFor(table).selectVersion.get(id)?.version ?? null;
    },
  };
}

export function isSyncedTableName(name: string): name is SyncedTableName {
  return findSyncedTable(name) !== undefined;
}

import { sql } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { SYNCED_TABLES } from '../../shared/synced-tables';
import type { TestDatabase } from './postgres';

export type VersionMap = Record<string, Record<string, number>>;

/** id → version of every hospital-scoped synced row the server holds for one hospital. */
export async function serverVersions(
  database: TestDatabase,
  hospitalId: string,
): Promise<VersionMap> {
  const map: VersionMap = {};
  for (const table of SYNCED_TABLES.filter((t) => t.scope === 'hospital')) {
    const result = await database.db.execute<{ id: string; version: number }>(
      sql`select id::text, version from ${sql.identifier(table.name)} where hospital_id = ${hospitalId}`,
    );
    map[table.name] = Object.fromEntries(result.rows.map((row) => [row.id, row.version]));
  }
  return map;
}

/** The same map as a workstation's replica holds it. */
export function replicaVersions(db: LocalDb, hospitalId: string): VersionMap {
  const map: VersionMap = {};
  for (const table of SYNCED_TABLES.filter((t) => t.scope === 'hospital')) {
    const rows = db.all<{ id: string; version: number }>(
      sql`select id, version from ${sql.identifier(table.name)} where hospital_id = ${hospitalId}`,
    );
    map[table.name] = Object.fromEntries(rows.map((row) => [row.id, row.version]));
  }
  return map;
}

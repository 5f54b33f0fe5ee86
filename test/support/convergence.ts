import { sql } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { PATIENT_RECORD_TABLES } from '../../shared/catalog';
import { SYNCED_TABLES } from '../../shared/synced-tables';
import type { TestDatabase } from './postgres';

export type VersionMap = Record<string, Record<string, number>>;

/** id → version of every hospital-scoped synced row the server holds for one hospital. */
export async function serverVersions(
  database: Pick<TestDatabase, 'db'>,
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

/** How many rows differ between two version maps: missing on one side or at another version. */
export function versionDifferences(a: VersionMap, b: VersionMap): number {
  let differences = 0;
  for (const table of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const left = a[table] ?? {};
    const right = b[table] ?? {};
    for (const id of new Set([...Object.keys(left), ...Object.keys(right)])) {
      if (left[id] !== right[id]) differences += 1;
    }
  }
  return differences;
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

export type PatientLinks = Record<string, Record<string, string>>;

/** id → patientId of every row that belongs to a patient, as the server holds them. */
export async function serverPatientLinks(
  database: TestDatabase,
  hospitalId: string,
): Promise<PatientLinks> {
  const map: PatientLinks = {};
  for (const table of PATIENT_RECORD_TABLES) {
    const result = await database.db.execute<{ id: string; patient_id: string }>(
      sql`select id::text, patient_id::text from ${sql.identifier(table)} where hospital_id = ${hospitalId}`,
    );
    map[table] = Object.fromEntries(result.rows.map((row) => [row.id, row.patient_id]));
  }
  return map;
}

/** The same as a workstation's replica holds it: a merge's moves must reach every replica. */
export function replicaPatientLinks(db: LocalDb, hospitalId: string): PatientLinks {
  const map: PatientLinks = {};
  for (const table of PATIENT_RECORD_TABLES) {
    const rows = db.all<{ id: string; patient_id: string }>(
      sql`select id, patient_id from ${sql.identifier(table)} where hospital_id = ${hospitalId}`,
    );
    map[table] = Object.fromEntries(rows.map((row) => [row.id, row.patient_id]));
  }
  return map;
}

/** itemId → quantity on hand (the sum of its movements) on the server. */
export async function serverStockOnHand(
  database: TestDatabase,
  hospitalId: string,
): Promise<Record<string, number>> {
  const result = await database.db.execute<{ id: string; on_hand: number }>(
    sql`select i.id::text, coalesce(sum(m.quantity), 0)::int as on_hand
          from inventory i left join inventory_movements m on m.item_id = i.id and m.deleted_at is null
         where i.hospital_id = ${hospitalId} group by i.id`,
  );
  return Object.fromEntries(result.rows.map((row) => [row.id, row.on_hand]));
}

/** The same sum in a workstation's replica. */
export function replicaStockOnHand(db: LocalDb, hospitalId: string): Record<string, number> {
  const rows = db.all<{ id: string; on_hand: number }>(
    sql`select i.id, coalesce(sum(m.quantity), 0) as on_hand
          from inventory i left join inventory_movements m on m.item_id = i.id and m.deleted_at is null
         where i.hospital_id = ${hospitalId} group by i.id`,
  );
  return Object.fromEntries(rows.map((row) => [row.id, row.on_hand]));
}

import type pg from 'pg';
import { camelCase } from '../../shared/catalog/constraints';
import type { TableShapes } from '../sync/table-shapes';

/**
 * A visit's global EMR record: the visit, and under the camelCase name of each table the catalog
 * marks as a clinical entry of the global EMR (`globalEmr: 'entry'`), that visit's entries.
 */
function recordSql(shapes: TableShapes): string {
  const visit = shapes.get('visits');
  if (!visit) throw new Error('The visits table is missing from the database.');
  const parts = [...shapes.values()]
    .filter((shape) => shape.table.globalEmr === 'entry')
    .map(({ table, rowJson }) => {
      return `'${camelCase(table.name)}', coalesce((select jsonb_agg((${rowJson})::jsonb order by t.created_at, t.id)
      from "${table.name}" t where t.visit_id = v.id and t.hospital_id = v.hospital_id and t.deleted_at is null), '[]'::jsonb)`;
    });
  return `jsonb_build_object('visit', (select (${visit.rowJson})::jsonb from visits t where t.id = v.id), ${parts.join(', ')})`;
}

/**
 * Builds (or rebuilds) the global EMR entry of every given visit that is discharged: one entry
 * per visit, so promoting again is harmless, and entries that reach the server after the
 * discharge (a workstation that was offline) join the record when they arrive. A visit moved
 * to another patient record by a merge takes its entry with it.
 * Nothing crosses hospitals (SYNC-PROTOCOL.md, Tenancy): push refuses such references, and rows
 * written before it did are still left out here: a visit is promoted only into the record of a
 * patient of its own hospital, with only its own hospital's entries.
 */
export async function promoteDischargedVisits(
  client: pg.PoolClient,
  shapes: TableShapes,
  visitIds: readonly string[],
): Promise<void> {
  if (visitIds.length === 0) return;
  await client.query(
    `insert into emr_global (id, patient_id, visit_id, source_hospital_id, admitted_at, discharged_at, record, promoted_at, updated_at)
     select gen_random_uuid(), v.patient_id, v.id, v.hospital_id, v.admitted_at, v.discharged_at, ${recordSql(shapes)}, now(), now()
       from visits v join patients p on p.id = v.patient_id and p.hospital_id = v.hospital_id
      where v.id = any($1::uuid[]) and v.status = 'discharged' and v.deleted_at is null
     on conflict (visit_id) do update
       set record = excluded.record, discharged_at = excluded.discharged_at,
           patient_id = excluded.patient_id, updated_at = now()`,
    [visitIds],
  );
}

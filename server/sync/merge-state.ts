/**
 * What the batch's merge decisions read, loaded before any decision (server/sync/batch-state.ts);
 * the decisions themselves are in merged-patients.ts.
 */
import type pg from 'pg';
import { belongsToPatient } from '../../shared/catalog';
import type { SyncedTable } from '../../shared/catalog/table';
import type { PreparedMutation } from './prepare';
import { rowKey as key, selectRows, selectRowsWhere, type WireRow } from './rows';
import type { TableShapes } from './table-shapes';

export const PATIENTS = 'patients';
export const ALERTS = 'clinical_alerts';
export const DUPLICATE_ALERT = 'possible_duplicate_patient';
/** The mark only a merge sets. */
export const MERGE_MARK = 'mergedIntoId';

const strings = (values: unknown[]) => [
  ...new Set(values.filter((v): v is string => typeof v === 'string')),
];

/** The columns of a table that name a patient record. */
const patientColumns = (table: SyncedTable): string[] =>
  Object.entries(table.columns)
    .filter(([, column]) => column.spec.references?.table === PATIENTS)
    .map(([name]) => name);

const names = (item: PreparedMutation, check: string) =>
  item.ok && (item.shape.table.serverChecks as readonly string[]).includes(check);

function mergeIds(item: PreparedMutation): string[] {
  if (!item.ok || !names(item, 'patient_merge')) return [];
  return strings([item.data.survivorPatientId, item.data.mergedPatientId]);
}

/**
 * What the batch's merge decisions read, loaded before any decision: which of the patients the
 * batch names are merged (and into which record), and for each merge in the batch the rows it
 * moves, locked until the push commits. Rows go into `rows` beside those the batch changes.
 */
export async function loadMergeState(
  client: pg.PoolClient,
  shapes: TableShapes,
  prepared: readonly PreparedMutation[],
  rows: Map<string, WireRow>,
): Promise<Map<string, string>> {
  const patients = shapes.get(PATIENTS);
  if (!patients) return new Map();
  const named = strings(
    prepared.flatMap((item) => {
      if (!item.ok) return [];
      const ids = patientColumns(item.shape.table).map((column) => item.data[column]);
      return names(item, 'merged_record') ? [...ids, item.mutation.id] : ids;
    }),
  );
  const mergedInto = new Map<string, string>();
  if (named.length > 0) {
    const found = await client.query<{ id: string; merged_into_id: string }>(
      `select id, merged_into_id from patients where id = any($1::uuid[]) and merged_into_id is not null`,
      [named],
    );
    for (const row of found.rows) mergedInto.set(row.id, row.merged_into_id);
  }
  const keep = (table: string, found: Iterable<WireRow>) => {
    for (const row of found) if (!rows.has(key(table, row.id))) rows.set(key(table, row.id), row);
  };
  // Late edits of a merged record also reach its survivor, so the survivor is read too.
  const survivors = strings(
    prepared.map((item) =>
      names(item, 'merged_record') ? rows.get(key(PATIENTS, item.mutation.id))?.[MERGE_MARK] : null,
    ),
  );
  const merging = prepared.flatMap(mergeIds);
  const involved = strings([...merging, ...merging.map((id) => mergedInto.get(id))]);
  keep(
    PATIENTS,
    (
      await selectRows(client, patients, [...involved, ...survivors].sort(), { forUpdate: true })
    ).values(),
  );
  if (involved.length === 0) return mergedInto;
  keep(
    PATIENTS,
    await selectRowsWhere(client, patients, MERGE_MARK, involved, { forUpdate: true }),
  );
  for (const shape of shapes.values()) {
    if (!belongsToPatient(shape.table)) continue;
    keep(
      shape.table.name,
      await selectRowsWhere(client, shape, 'patientId', involved, { forUpdate: true }),
    );
  }
  // A duplicate alert raised on the survivor names the merged record only in its details.
  const alerts = shapes.get(ALERTS);
  if (alerts) {
    const found = await client.query<{ row: string }>(
      `select ${alerts.rowJson}::text as row from clinical_alerts t
        where t.kind = $1 and t.acknowledged_at is null and t.details->>'matchingPatientId' = any($2::text[])
        order by t.id for no key update`,
      [DUPLICATE_ALERT, involved],
    );
    keep(
      ALERTS,
      found.rows.map(({ row }) => JSON.parse(row) as WireRow),
    );
  }
  return mergedInto;
}

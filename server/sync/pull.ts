import type pg from 'pg';
import { ApiError } from '../http/errors';
import type { TableShapes } from './table-shapes';

/** Where a device is in the feed: the (transaction id, sequence) of the last entry it got. */
interface FeedPosition {
  txId: number;
  seq: number;
}

export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(`${position.txId}.${position.seq}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): FeedPosition {
  if (cursor === undefined || cursor === '') return { txId: 0, seq: 0 };
  const match = /^(\d{1,19})\.(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString());
  const txId = Number(match?.[1]);
  const seq = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(txId) || !Number.isSafeInteger(seq)) {
    throw new ApiError(400, 'invalid_request', 'cursor: this is not a cursor the server handed out.');
  }
  return { txId, seq };
}

/**
 * The feed is read in (transaction id, sequence) order, and only entries of transactions older
 * than the snapshot's xmin are handed out: every such transaction has finished, and no new one
 * can take a smaller id. A transaction that took its sequence numbers early but commits late is
 * therefore never skipped: the cursor cannot move past it while it is still running.
 */
const PAGE_SQL = `
  with horizon as (select (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint as xmin)
  select seq, tx_id, table_name, row_id from (
    (select f.seq, f.tx_id, f.table_name, f.row_id from change_feed f, horizon h
      where f.hospital_id = $1 and (f.tx_id, f.seq) > ($2::bigint, $3::bigint) and f.tx_id < h.xmin
      order by f.tx_id, f.seq limit $4)
    union all
    (select f.seq, f.tx_id, f.table_name, f.row_id from change_feed f, horizon h
      where f.hospital_id is null and (f.tx_id, f.seq) > ($2::bigint, $3::bigint) and f.tx_id < h.xmin
      order by f.tx_id, f.seq limit $4)
  ) page
  order by tx_id, seq limit $4`;

interface FeedEntry {
  seq: string;
  tx_id: string;
  table_name: string;
  row_id: string;
}

async function selectPageRows(
  pool: pg.Pool,
  shapes: TableShapes,
  entries: FeedEntry[],
): Promise<Map<string, string>> {
  const idsByTable = new Map<string, string[]>();
  for (const entry of entries) {
    const ids = idsByTable.get(entry.table_name) ?? [];
    ids.push(entry.row_id);
    idsByTable.set(entry.table_name, ids);
  }
  const parts: string[] = [];
  const params: string[][] = [];
  for (const [table, ids] of idsByTable) {
    const shape = shapes.get(table);
    if (!shape) continue;
    params.push(ids);
    // Postgres renders the whole change as JSON text; Node only concatenates it.
    parts.push(
      `select t.id::text as id, json_build_object('table', '${table}', 'id', t.id, 'version', t.version, 'row', ${shape.rowJson})::text as change
         from "${table}" t where t.id = any($${params.length}::uuid[])`,
    );
  }
  const changes = new Map<string, string>();
  if (parts.length === 0) return changes;
  const result = await pool.query<{ id: string; change: string }>(parts.join(' union all '), params);
  for (const row of result.rows) changes.set(row.id, row.change);
  return changes;
}

/** One page of the device's hospital scope, as the response's JSON text. */
export async function pullChanges(
  pool: pg.Pool,
  shapes: TableShapes,
  options: { hospitalId: string; cursor: string | undefined; limit: number },
): Promise<string> {
  const from = decodeCursor(options.cursor);
  const page = await pool.query<FeedEntry>(PAGE_SQL, [options.hospitalId, from.txId, from.seq, options.limit]);
  const changes = await selectPageRows(pool, shapes, page.rows);
  const delivered = new Set<string>();
  const parts: string[] = [];
  for (const entry of page.rows) {
    const change = changes.get(entry.row_id);
    if (change === undefined || delivered.has(entry.row_id)) continue;
    delivered.add(entry.row_id);
    parts.push(change);
  }
  const last = page.rows.at(-1);
  const cursor = last ? encodeCursor({ txId: Number(last.tx_id), seq: Number(last.seq) }) : encodeCursor(from);
  return `{"changes":[${parts.join(',')}],"cursor":"${cursor}","hasMore":${String(page.rows.length === options.limit)}}`;
}

/**
 * A new workstation's first sync as a snapshot (docs/SYNC.md "Snapshot first sync"): the rows of
 * its scope, table by table in dependency order and by id, in large gzip-compressed pages, and
 * the pull cursor to continue from.
 *
 * Why nothing falls between the snapshot and the pull: the cursor is taken from the first page's
 * snapshot as "every feed entry of a transaction at or above its xmin". Every transaction below
 * xmin had finished when the snapshot was taken, so its rows are in every page (each page reads
 * in its own REPEATABLE READ snapshot, which can only see more); every change of a transaction
 * at or above xmin is in the feed after the cursor, so the pull brings it, even one that took its
 * sequence numbers before the snapshot and committed after. A row a page already shows at a newer
 * version is pulled again at an older one too; the replica keeps the highest version. Pages can
 * therefore be asked for again, or later (an interrupted snapshot resumes from its next page).
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type pg from 'pg';
import { SYNCED_TABLES, type SyncedTable } from '../../shared/catalog';
import type { SnapshotHeader, SnapshotQuery } from '../../shared/protocol';
import { isStayRecordTable, STAY_IN_WINDOW_SQL } from '../../shared/replica-scope';
import { ApiError } from '../http/errors';
import { encodeCursor } from './pull';
import type { SnapshotPage } from './snapshot-readahead';
import { wireValueSql, type TableShapes } from './table-shapes';

/**
 * Where the next page starts: the snapshot's cursor, a table of SYNCED_TABLES and an id. A scoped
 * snapshot reads a stay's clinical rows by stay (see `readStayRowsPage`): `stay` is then the
 * stay of `after`, null while it reads the rows without a stay.
 */
interface PagePosition {
  cursor: string;
  table: number;
  after: string;
  stay: string | null;
}

const FIRST_ID = '00000000-0000-0000-0000-000000000000';

const encodeToken = (position: PagePosition) =>
  Buffer.from(
    JSON.stringify([position.cursor, position.table, position.after, position.stay]),
  ).toString('base64url');

const UUID = /^[0-9a-f-]{36}$/i;

function decodeToken(token: string): PagePosition {
  const refused = new ApiError(
    400,
    'invalid_request',
    'token: this is not a snapshot page token the server handed out.',
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString());
  } catch {
    throw refused;
  }
  // Three elements: a token of a server before stays were read by stay (no `stay`).
  if (!Array.isArray(parsed) || (parsed.length !== 3 && parsed.length !== 4)) throw refused;
  const [cursor, table, after, stay = null] = parsed as unknown[];
  if (
    typeof cursor !== 'string' ||
    typeof table !== 'number' ||
    !Number.isInteger(table) ||
    table < 0 ||
    table >= SYNCED_TABLES.length ||
    typeof after !== 'string' ||
    !UUID.test(after) ||
    (stay !== null && (typeof stay !== 'string' || !UUID.test(stay)))
  )
    throw refused;
  return { cursor, table, after, stay };
}

/** Which rows of a table the device holds when every row of its hospital's is (alias `t`). */
const HOSPITAL_ROWS = 't.hospital_id = $1::uuid';

/**
 * The stays a scoped device holds the clinical rows of (alias `v`; `$1` the hospital, `$2` the
 * window's start), the same rule as the workstation's (`STAY_IN_WINDOW_SQL`).
 */
const STAYS_IN_SCOPE = `v.hospital_id = $1::uuid and ${STAY_IN_WINDOW_SQL.replace('?', '$2::timestamptz')}`;

/** Whether a table's rows are read by stay: a stay record table of a scoped snapshot. */
const readByStay = (table: SyncedTable, dischargedAfter: string | undefined) =>
  dischargedAfter !== undefined && table.scope !== 'reference' && isStayRecordTable(table.name);

/** How many rows of a table the snapshot holds. */
async function countRows(
  client: pg.PoolClient,
  table: SyncedTable,
  hospitalId: string,
  dischargedAfter: string | undefined,
): Promise<number> {
  let counted: pg.QueryResult<{ n: string }>;
  if (table.scope === 'reference') {
    counted = await client.query(`select count(*) as n from "${table.name}"`);
  } else if (dischargedAfter === undefined || !readByStay(table, dischargedAfter)) {
    counted = await client.query(
      `select count(*) as n from "${table.name}" t where ${HOSPITAL_ROWS}`,
      [hospitalId],
    );
  } else {
    // Counted stay by stay through the index on `visit_id`: the planner, which cannot estimate
    // the window's rule, would otherwise join every row of the table to the stays in scope.
    counted = await client.query(
      `select (select count(*) from "${table.name}" t where ${HOSPITAL_ROWS} and t.visit_id is null)
            + (select coalesce(sum((select count(*) from "${table.name}" t
                                     where t.visit_id = v.id and ${HOSPITAL_ROWS})), 0)
                 from visits v where ${STAYS_IN_SCOPE}) as n`,
      [hospitalId, dischargedAfter],
    );
  }
  return Number(counted.rows[0]?.n ?? 0);
}

/**
 * Up to `room` rows of a table from `position` on, and where the next page starts if they fill
 * it. Most tables go by id. A scoped snapshot's stay record tables go first by id over the rows
 * without a stay, then by (stay, id) over the stays in scope, each stay's rows found through the
 * table's index on `visit_id`: a scoped workstation holds a few percent of the vitals, and
 * reading them by id would walk every vital of the hospital to find them.
 */
async function readTableRows(
  client: pg.PoolClient,
  table: SyncedTable,
  rowSql: string,
  options: { hospitalId: string; dischargedAfter: string | undefined; room: number },
  from: { after: string; stay: string | null },
): Promise<{
  rows: { id: string; row: string }[];
  next: { after: string; stay: string | null } | null;
}> {
  const { hospitalId, dischargedAfter, room } = options;
  const byId = async (where: string, params: unknown[], stay: null) => {
    const found = await client.query<{ id: string; row: string }>(
      `select t.id, ${rowSql}::text as row from "${table.name}" t
        where ${where} and t.id > $${params.length + 1}::uuid order by t.id limit ${room}`,
      [...params, from.after],
    );
    const last = found.rows.at(-1);
    return {
      rows: found.rows,
      next: found.rows.length === room && last ? { after: last.id, stay } : null,
    };
  };
  if (table.scope === 'reference') return byId('true', [], null);
  if (dischargedAfter === undefined || !readByStay(table, dischargedAfter)) {
    return byId(HOSPITAL_ROWS, [hospitalId], null);
  }
  let rows: { id: string; row: string }[] = [];
  let stay = from.stay;
  let after = from.after;
  if (stay === null) {
    const withoutStay = await byId(`${HOSPITAL_ROWS} and t.visit_id is null`, [hospitalId], null);
    if (withoutStay.next) return withoutStay;
    rows = withoutStay.rows;
    stay = FIRST_ID;
    after = FIRST_ID;
  }
  const left = room - rows.length;
  const found = await client.query<{ id: string; stay: string; row: string }>(
    `select t.id, t.visit_id as stay, ${rowSql}::text as row
       from visits v join "${table.name}" t on t.visit_id = v.id
      where ${STAYS_IN_SCOPE} and v.id >= $3::uuid
        and ${HOSPITAL_ROWS} and (t.visit_id, t.id) > ($3::uuid, $4::uuid)
      order by t.visit_id, t.id limit ${left}`,
    [hospitalId, dischargedAfter, stay, after],
  );
  rows = rows.concat(found.rows);
  const last = found.rows.at(-1);
  return {
    rows,
    next: found.rows.length === left && last ? { after: last.id, stay: last.stay } : null,
  };
}

/**
 * One page: the header line, then per table a section line and its rows as JSON arrays in the
 * section's column order (a third of the bytes of objects, and no key lookups on the
 * workstation). People outside the hospital follow their table's rows as objects in the catalog's
 * outsider view, as the pull sends them. Returns the page gzip-compressed, and the next page's
 * token (server/sync/snapshot-readahead.ts reads that page before it is asked for).
 */
const compress = promisify(gzip);

export async function readSnapshotPage(
  pool: pg.Pool,
  shapes: TableShapes,
  options: { hospitalId: string; query: SnapshotQuery; now: Date },
): Promise<SnapshotPage> {
  const { hospitalId, query, now } = options;
  const client = await pool.connect();
  let released = false;
  try {
    await client.query('begin isolation level repeatable read read only');
    const first = query.token === undefined;
    let position: PagePosition;
    if (query.token === undefined) {
      const horizon = await client.query<{ xmin: string }>(
        'select pg_snapshot_xmin(pg_current_snapshot())::text as xmin',
      );
      const xmin = Number(horizon.rows[0]?.xmin);
      position = {
        cursor: encodeCursor({ txId: xmin - 1, seq: Number.MAX_SAFE_INTEGER }, now),
        table: 0,
        after: FIRST_ID,
        stay: null,
      };
    } else {
      position = decodeToken(query.token);
    }
    const lines: string[] = [];
    let rows = 0;
    let total: number | null = null;
    let next: PagePosition | null = null;
    if (first) {
      total = 0;
      for (const table of SYNCED_TABLES) {
        total += await countRows(client, table, hospitalId, query.dischargedAfter);
      }
    }
    for (let index = position.table; index < SYNCED_TABLES.length; index += 1) {
      const table = SYNCED_TABLES[index];
      const shape = table ? shapes.get(table.name) : undefined;
      if (!table || !shape) continue;
      const from =
        index === position.table
          ? { after: position.after, stay: position.stay }
          : { after: FIRST_ID, stay: null };
      const values = shape.columns.map((column) => wireValueSql(column)).join(', ');
      const found = await readTableRows(
        client,
        table,
        `json_build_array(${values})`,
        { hospitalId, dischargedAfter: query.dischargedAfter, room: query.limit - rows },
        from,
      );
      if (found.rows.length > 0) {
        lines.push(
          JSON.stringify({ table: table.name, columns: shape.columns.map((c) => c.key) }),
          ...found.rows.map((found) => found.row),
        );
        rows += found.rows.length;
      }
      if (found.next) {
        next = { cursor: position.cursor, table: index, ...found.next };
        break;
      }
      const view = table.outsiders;
      if (view) {
        const outsiders = await client.query<{ row: string }>(
          `select ${shape.rowJson}::text as row from "${table.name}" t where t.hospital_id is null order by t.id`,
        );
        if (outsiders.rows.length > 0) {
          lines.push(JSON.stringify({ table: table.name, outsiders: true }));
          for (const outsider of outsiders.rows) {
            const row = JSON.parse(outsider.row) as Record<string, unknown>;
            // The outsider view, and the version the replica keeps it at.
            lines.push(JSON.stringify({ ...view.send(row), version: row.version }));
          }
        }
      }
    }
    await client.query('commit');
    client.release();
    released = true;
    const header: SnapshotHeader = {
      snapshot: 1,
      cursor: position.cursor,
      next: next ? encodeToken(next) : null,
      rows,
      total,
    };
    // Level 1: the page is text of many alike rows, so the fastest level already shrinks it
    // about sevenfold, and the server's CPU is not what a first sync should wait on. Compressed
    // off the event loop (libuv's pool), with the connection given back first: a page of 20,000
    // rows takes tens of milliseconds to compress, which every other request would wait on.
    const body = await compress(`${JSON.stringify(header)}\n${lines.join('\n')}\n`, { level: 1 });
    return { body, next: header.next };
  } catch (error) {
    if (!released) await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    if (!released) client.release();
  }
}

/** One stay's clinical rows, as pull's changes: an older chart opened online (docs/SYNC.md). */
export async function readStayRows(
  pool: pg.Pool,
  shapes: TableShapes,
  options: { hospitalId: string; visitId: string },
): Promise<{
  visitId: string;
  changes: { table: string; id: string; version: number; row: Record<string, unknown> }[];
} | null> {
  const visit = await pool.query(
    'select 1 from visits where id = $1::uuid and hospital_id = $2::uuid',
    [options.visitId, options.hospitalId],
  );
  if (visit.rowCount === 0) return null;
  const changes: { table: string; id: string; version: number; row: Record<string, unknown> }[] =
    [];
  for (const table of SYNCED_TABLES) {
    if (!isStayRecordTable(table.name)) continue;
    const shape = shapes.get(table.name);
    if (!shape) continue;
    const found = await pool.query<{ row: string }>(
      `select ${shape.rowJson}::text as row from "${table.name}" t
        where t.visit_id = $1::uuid and t.hospital_id = $2::uuid order by t.id`,
      [options.visitId, options.hospitalId],
    );
    for (const { row } of found.rows) {
      const parsed = JSON.parse(row) as Record<string, unknown> & { id: string; version: number };
      changes.push({ table: table.name, id: parsed.id, version: parsed.version, row: parsed });
    }
  }
  return { visitId: options.visitId, changes };
}

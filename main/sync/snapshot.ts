/**
 * Snapshot first sync (docs/SYNC.md): a new workstation loads a consistent snapshot of its scope
 * in large compressed pages, then pulls from the snapshot's cursor as usual. The load is the
 * replica's bulk path: the synced tables' secondary indexes are dropped first and built once
 * after the last page, and each page goes in as one transaction of plain prepared inserts.
 *
 * An interrupted snapshot resumes: each page commits together with the token of the next one, so
 * the next sync continues from the first page not loaded (the server can serve a page again or
 * later, server/sync/snapshot.ts says why that stays consistent). Dropped indexes are recorded in
 * the same row, so they are built again even when the process dies mid-load.
 *
 * `loadSnapshot` is the one entry point: a first sync calls it, and so can any full re-pull.
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { Statement } from 'better-sqlite3';
import { eq, sql } from 'drizzle-orm';
import { getTableColumns, getTableName, type Column } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import type { LocalDb } from '../../db/local/open';
import { replicaScope } from '../../db/local/schema';
import { localSyncedTables } from '../../db/local/synced-tables';
import { findSyncedTable } from '../../shared/catalog';
import {
  SnapshotHeaderSchema,
  SnapshotSectionSchema,
  type SnapshotHeader,
} from '../../shared/protocol';
import { stayCutoff } from '../../shared/replica-scope';
import type { SyncedTableName } from '../../shared/synced-tables';
import { createReplicaRows, isSyncedTableName, type ReplicaRows } from './replica-rows';
import { rebasePendingEdits } from './rebase';
import { updateSyncState } from './sync-state';
import type { SyncTransport } from './transport';

const inflate = promisify(gunzip);

/** Rows per page: large enough that a round trip is a small share of a page's time. */
export const SNAPSHOT_PAGE_ROWS = 20_000;

export interface SnapshotProgress {
  /** Rows loaded so far, pages loaded before an interruption included. */
  rows: number;
  /** Rows of the whole snapshot, once the first page has said. */
  total: number | null;
  /** Compressed bytes received so far. */
  bytes: number;
  /** Rows per second in this run. */
  ratePerSecond: number | null;
  /** At that rate, until the last row. */
  secondsLeft: number | null;
}

export interface SnapshotOptions {
  /** Null: the whole hospital. Otherwise the scope's window (docs/SYNC.md "Scope"). */
  dischargedWithinDays: number | null;
  now?: () => Date;
  pageRows?: number;
  onPage?: (progress: SnapshotProgress) => void;
}

export type ReplicaScopeRow = typeof replicaScope.$inferSelect;

export function readReplicaScope(db: Pick<LocalDb, 'select'>): ReplicaScopeRow | null {
  return db.select().from(replicaScope).where(eq(replicaScope.id, 1)).get() ?? null;
}

/** A snapshot was begun and has not finished: the next sync must resume it before pulling. */
export function snapshotUnderway(db: Pick<LocalDb, 'select'>): boolean {
  const scope = readReplicaScope(db);
  return scope !== null && scope.snapshotStartedAt !== null && scope.snapshotDoneAt === null;
}

type Tx = Parameters<Parameters<LocalDb['transaction']>[0]>[0];

/** The synced tables' secondary indexes (not the unique ones, which are constraints). */
function dropSecondaryIndexes(tx: Tx): string[] {
  const tables = Object.values(localSyncedTables).map((table) => getTableName(table));
  const found = tx.all<{ name: string; sql: string }>(
    sql`select name, sql from sqlite_master where type = 'index' and sql is not null
         and tbl_name in (${sql.join(
           tables.map((table) => sql`${table}`),
           sql`, `,
         )})`,
  );
  const dropped = found.filter((index) => !/^create\s+unique/i.test(index.sql));
  for (const index of dropped) tx.run(sql.raw(`drop index if exists "${index.name}"`));
  return dropped.map((index) => index.sql);
}

function rebuildIndexes(tx: Tx, statements: readonly string[]): void {
  for (const statement of statements) {
    tx.run(
      sql.raw(
        statement.replace(
          /^create\s+index\s+(?!if\s+not\s+exists)/i,
          'CREATE INDEX IF NOT EXISTS ',
        ),
      ),
    );
  }
}

interface SectionWriter {
  table: SyncedTableName;
  insert: Statement;
  /** For each of the replica's columns, where its value is in a sent row (-1: not sent). */
  from: number[];
  /** Where the row's id is in a sent row. */
  idAt: number;
  convert: ((value: unknown) => unknown)[];
}

const asIs = (value: unknown) => value;
const asJson = (value: unknown) => (value === null ? null : JSON.stringify(value));
const asFlag = (value: unknown) => (value === null ? null : value ? 1 : 0);

function converterFor(column: Column): (value: unknown) => unknown {
  if (column.columnType === 'SQLiteTextJson') return asJson;
  if (column.columnType === 'SQLiteBoolean') return asFlag;
  return asIs;
}

function createSectionWriters(db: LocalDb) {
  const inserts = new Map<string, { statement: Statement; columns: [string, Column][] }>();
  return (table: SyncedTableName, sent: readonly string[]): SectionWriter => {
    let prepared = inserts.get(table);
    if (!prepared) {
      const drizzleTable = localSyncedTables[table];
      const columns = Object.entries(getTableColumns(drizzleTable));
      const name = getTableName(drizzleTable);
      const names = columns.map(([key]) => `"${toSnakeCase(key)}"`);
      const updates = names.filter((n) => n !== '"id"').map((n) => `${n} = excluded.${n}`);
      // An upsert that keeps the newer version: a resumed page, or a re-pull over a replica.
      const statement = db.$client.prepare(
        `insert into "${name}" (${names.join(', ')}) values (${names.map(() => '?').join(', ')})
         on conflict (id) do update set ${updates.join(', ')} where excluded.version >= "${name}".version`,
      );
      prepared = { statement, columns };
      inserts.set(table, prepared);
    }
    const position = new Map(sent.map((key, index) => [key, index]));
    return {
      table,
      insert: prepared.statement,
      from: prepared.columns.map(([key]) => position.get(key) ?? -1),
      idAt: position.get('id') ?? -1,
      convert: prepared.columns.map(([, column]) => converterFor(column)),
    };
  };
}

interface Page {
  header: SnapshotHeader;
  lines: string[];
  bytes: number;
}

async function fetchPage(
  transport: SyncTransport,
  query: { token: string | null; limit: number; dischargedAfter: string | null },
): Promise<Page> {
  const compressed = await transport.snapshotPage(query);
  const text = (await inflate(compressed)).toString('utf8');
  const lines = text.split('\n');
  const header = SnapshotHeaderSchema.safeParse(safeJson(lines[0] ?? ''));
  if (!header.success) throw new Error("The server's snapshot page was not understood.");
  return { header: header.data, lines, bytes: compressed.length };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Loads one page's rows; returns how many rows it held. */
function applyPage(
  tx: Tx,
  page: Page,
  writerFor: ReturnType<typeof createSectionWriters>,
  rows: ReplicaRows,
  pending: ReadonlySet<string>,
): number {
  let writer: SectionWriter | null = null;
  let outsidersOf: SyncedTableName | null = null;
  let loaded = 0;
  for (let i = 1; i < page.lines.length; i += 1) {
    const line = page.lines[i];
    if (!line) continue;
    if (line.startsWith('[')) {
      if (!writer) throw new Error('The snapshot page has a row before its table.');
      const sent = JSON.parse(line) as unknown[];
      const values = writer.from.map((at, c) => {
        const value = at < 0 ? null : sent[at];
        return value === undefined || value === null ? null : (writer?.convert[c] ?? asIs)(value);
      });
      writer.insert.run(values);
      loaded += 1;
      if (pending.size > 0) {
        const id = sent[writer.idAt];
        if (typeof id === 'string' && pending.has(`${writer.table}/${id}`)) {
          rebasePendingEdits(tx, rows, writer.table, id);
        }
      }
      continue;
    }
    const parsed = JSON.parse(line) as unknown;
    const section = SnapshotSectionSchema.safeParse(parsed);
    if (section.success) {
      const table = section.data.table;
      // A table this build does not know comes from a newer server: its rows are skipped.
      writer = null;
      outsidersOf = null;
      if (!isSyncedTableName(table)) continue;
      if (section.data.outsiders) outsidersOf = table;
      else writer = writerFor(table, section.data.columns ?? []);
      continue;
    }
    // A person outside the hospital, as the pull sends them (SYNC-PROTOCOL.md, Tenancy).
    const view = outsidersOf ? findSyncedTable(outsidersOf)?.outsiders : undefined;
    if (outsidersOf && view && typeof parsed === 'object' && parsed !== null) {
      const row = parsed as Record<string, unknown>;
      const kept = view.keep(row);
      if (kept && typeof row.id === 'string') {
        const version = typeof row.version === 'number' ? row.version : 0;
        rows.applyOutsiderRow(outsidersOf, { id: row.id, version, ...kept });
        loaded += 1;
      }
    }
  }
  return loaded;
}

/**
 * Loads (or resumes) the snapshot of this workstation's scope into the replica, then sets the
 * pull cursor to the snapshot's: the next pull brings every change the snapshot may not show.
 */
export async function loadSnapshot(
  db: LocalDb,
  transport: SyncTransport,
  options: SnapshotOptions,
): Promise<{ rows: number; bytes: number; pages: number }> {
  const now = options.now ?? (() => new Date());
  const limit = options.pageRows ?? SNAPSHOT_PAGE_ROWS;
  if (!snapshotUnderway(db)) {
    const cutoff =
      options.dischargedWithinDays === null
        ? null
        : stayCutoff(now(), options.dischargedWithinDays).toISOString();
    const start = {
      dischargedWithinDays: options.dischargedWithinDays,
      purgedBefore: cutoff,
      snapshotCursor: null,
      snapshotNext: null,
      snapshotRows: 0,
      snapshotTotal: null,
      snapshotBytes: 0,
      snapshotStartedAt: now().toISOString(),
      snapshotDoneAt: null,
    };
    // One transaction: indexes dropped are always indexes recorded, to be built again.
    db.transaction((tx) => {
      const dropped = { ...start, droppedIndexes: dropSecondaryIndexes(tx) };
      tx.insert(replicaScope)
        .values({ id: 1, ...dropped })
        .onConflictDoUpdate({ target: replicaScope.id, set: dropped })
        .run();
    });
  }
  const state = readReplicaScope(db);
  if (!state) throw new Error('The snapshot could not be recorded in the replica.');
  const dischargedAfter = state.dischargedWithinDays === null ? null : state.purgedBefore;
  const writerFor = createSectionWriters(db);
  const rows = createReplicaRows(db);
  const started = process.hrtime.bigint();
  const rowsAtStart = state.snapshotRows;
  let loadedRows = state.snapshotRows;
  let total = state.snapshotTotal;
  let bytes = state.snapshotBytes;
  let cursor = state.snapshotCursor;
  let pages = 0;
  // A cursor without a next token: every page is in, only the indexes and the cursor remain.
  let next: Promise<Page> | null =
    cursor !== null && state.snapshotNext === null
      ? null
      : fetchPage(transport, { token: state.snapshotNext, limit, dischargedAfter });
  while (next) {
    const page: Page = await next;
    // Ask for the next page while this one is loaded: network, inflating and SQLite side by side.
    next =
      page.header.next === null
        ? null
        : fetchPage(transport, { token: page.header.next, limit, dischargedAfter });
    next?.catch(() => undefined);
    const pending = new Set(
      db.$client
        .prepare(
          `select distinct table_name || '/' || row_id as key from outbox where status = 'pending'`,
        )
        .pluck()
        .all() as string[],
    );
    // Foreign keys are off for the page alone (a row may point at one of its table's later
    // pages: a correction at the entry it corrects); the server's rows keep them. The page's
    // commit does not wait for the disk either (synchronous=NORMAL: the WAL is not fsynced at
    // commit): a power cut may take the last pages back, never damage the file, and a page taken
    // back goes with the token it was committed with, so the resumed snapshot loads it again.
    // Neither pragma can change inside a transaction, and nothing else runs on this connection
    // in between (this block is synchronous), so no other write is ever committed this way.
    const synchronous = Number(db.$client.pragma('synchronous', { simple: true }));
    db.$client.pragma('foreign_keys = OFF');
    db.$client.pragma('synchronous = NORMAL');
    try {
      db.transaction((tx) => {
        loadedRows += applyPage(tx, page, writerFor, rows, pending);
        total = page.header.total ?? total;
        bytes += page.bytes;
        cursor = page.header.cursor;
        tx.update(replicaScope)
          .set({
            snapshotCursor: cursor,
            snapshotNext: page.header.next,
            snapshotRows: loadedRows,
            snapshotTotal: total,
            snapshotBytes: bytes,
          })
          .where(eq(replicaScope.id, 1))
          .run();
      });
    } finally {
      db.$client.pragma(`synchronous = ${String(synchronous)}`);
      db.$client.pragma('foreign_keys = ON');
    }
    pages += 1;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rate = seconds > 0 ? (loadedRows - rowsAtStart) / seconds : null;
    options.onPage?.({
      rows: loadedRows,
      total,
      bytes,
      ratePerSecond: rate,
      secondsLeft: rate && total !== null ? Math.max(0, (total - loadedRows) / rate) : null,
    });
  }
  if (cursor === null) throw new Error('The snapshot ended without a cursor.');
  const finalCursor = cursor;
  db.transaction((tx) => {
    rebuildIndexes(tx, state.droppedIndexes ?? []);
    updateSyncState(tx, { pullCursor: finalCursor, lastPullAt: now().toISOString() });
    tx.update(replicaScope)
      .set({ snapshotNext: null, snapshotDoneAt: now().toISOString(), droppedIndexes: null })
      .where(eq(replicaScope.id, 1))
      .run();
  });
  db.$client.pragma('optimize');
  return { rows: loadedRows, bytes, pages };
}

/**
 * Pull: reads the server's change feed from the stored cursor until it says there is no more.
 * Each page is applied in one transaction together with the new cursor, so a pull cut off
 * anywhere resumes from the last page it fully applied. A pulled row never overwrites an edit
 * still waiting in the outbox: the edit is put back on top (rebase).
 *
 * A cursor older than what the server keeps of its feed is answered `cursor_expired` (docs/SYNC.md
 * "Feed retention"): the workstation then reads the record again from the start
 * (`repullFromStart`: a snapshot when the workstation loads snapshots, else the feed from its
 * start), keeping its outbox, which the next push sends.
 */
import { sql } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { isOutsiderView } from '../../shared/catalog/table';
import { MAX_PULL_LIMIT, type Change } from '../../shared/protocol';
import { findSyncedTable } from '../../shared/synced-tables';
import { createReplicaRows, isSyncedTableName, type ReplicaRows } from './replica-rows';
import { rebasePendingEdits } from './rebase';
import { outsideScope, stayHeldTest } from './replica-scope';
import { loadSnapshot, type SnapshotOptions } from './snapshot';
import { readSyncState, updateSyncState } from './sync-state';
import { TransportError, type SyncTransport } from './transport';

export interface PullProgress {
  /** Changes applied so far in this pull. */
  applied: number;
  hasMore: boolean;
}

export interface PullOptions {
  limit?: number;
  now?: () => Date;
  /**
   * How to read the record again when the cursor has expired: a snapshot of this scope (docs/SYNC.md
   * "Snapshot first sync"), then the feed from the snapshot's cursor. Absent: the feed from its start.
   */
  snapshot?: SnapshotOptions;
  onPage?: (progress: PullProgress) => void;
}

export interface PullResult {
  applied: number;
  pages: number;
  /** The stored cursor had expired: this pull read the record again from the start. */
  repulled: boolean;
}

export async function pullChanges(
  db: LocalDb,
  transport: SyncTransport,
  options: PullOptions = {},
): Promise<PullResult> {
  try {
    return {
      ...(await pullFrom(db, transport, readSyncState(db).pullCursor, options)),
      repulled: false,
    };
  } catch (error) {
    if (!isCursorExpired(error)) throw error;
    return { ...(await repullFromStart(db, transport, options)), repulled: true };
  }
}

export function isCursorExpired(error: unknown): boolean {
  return error instanceof TransportError && error.code === 'cursor_expired';
}

/**
 * Reads the whole record again from the start of the server's feed, over the replica as it is.
 * Rows keep their highest version, and an edit still in the outbox is put back on top of the
 * server's row (rebase), so nothing unsent is lost or overwritten; the outbox itself is not
 * touched, and the next push sends it. The cursor is forgotten first, in its own transaction, so
 * a re-pull cut off resumes from its last applied page rather than the expired cursor.
 *
 * The one entry point for a full re-read.
 */
export async function repullFromStart(
  db: LocalDb,
  transport: SyncTransport,
  options: PullOptions = {},
): Promise<{ applied: number; pages: number }> {
  updateSyncState(db, { pullCursor: null });
  if (!options.snapshot) return pullFrom(db, transport, null, options);
  // The snapshot over the replica as it is: it too rebases edits waiting in the outbox, and an
  // interrupted one is resumed by the next sync before any pull (`snapshotUnderway`).
  const loaded = await loadSnapshot(db, transport, options.snapshot);
  const pulled = await pullFrom(db, transport, readSyncState(db).pullCursor, options);
  return { applied: loaded.rows + pulled.applied, pages: loaded.pages + pulled.pages };
}

async function pullFrom(
  db: LocalDb,
  transport: SyncTransport,
  cursor: string | null,
  options: PullOptions,
): Promise<{ applied: number; pages: number }> {
  const limit = Math.min(options.limit ?? MAX_PULL_LIMIT, MAX_PULL_LIMIT);
  const now = options.now ?? (() => new Date());
  const rows = createReplicaRows(db);
  let applied = 0;
  let pages = 0;
  let next = transport.pull(cursor, limit);
  for (;;) {
    const page = await next;
    // Ask for the next page while this one is applied: the network and SQLite work side by side.
    // Only applied pages move the stored cursor, so a pull cut off here resumes from this page.
    if (page.hasMore) {
      next = transport.pull(page.cursor, limit);
      // If applying this page fails, nobody awaits the prefetch: its failure must not go unhandled.
      next.catch(() => undefined);
    }
    const held = stayHeldTest(db, now());
    db.transaction((tx) => {
      // A page may name a row before the row it points at; check foreign keys at commit.
      tx.run(sql`pragma defer_foreign_keys = on`);
      applyChanges(tx, rows, page.changes, held);
      retireChangedVerifiers(tx);
      updateSyncState(tx, { pullCursor: page.cursor, lastPullAt: now().toISOString() });
    });
    applied += page.changes.length;
    pages += 1;
    options.onPage?.({ applied, hasMore: page.hasMore });
    if (!page.hasMore) return { applied, pages };
  }
}

type Tx = Parameters<Parameters<LocalDb['transaction']>[0]>[0];

/**
 * A users row pulled with a higher credential version than a cached verifier was made for: the
 * person's password was changed or reset elsewhere (docs/SYNC.md "Passwords"), so the old one
 * must not open this workstation offline any more. Their next online sign-in caches the new one.
 */
function retireChangedVerifiers(tx: Tx): void {
  tx.run(sql`delete from cached_credentials
    where credential_version <
      (select u.credential_version from users u where u.id = cached_credentials.user_id)`);
}

function applyChanges(
  tx: Tx,
  rows: ReplicaRows,
  changes: readonly Change[],
  held: (visitId: string) => boolean,
): void {
  const pending = new Set(
    tx
      .all<{ key: string }>(
        sql`select distinct table_name || '/' || row_id as key from outbox where status = 'pending'`,
      )
      .map((row) => row.key),
  );
  for (const change of changes) {
    // A table this build does not know comes from a newer server: skip it, do not fail the sync.
    if (!isSyncedTableName(change.table)) continue;
    // A scoped workstation does not store clinical rows of stays it does not hold.
    if (outsideScope(change, held)) continue;
    // A person outside this hospital arrives as name and role only (SYNC-PROTOCOL.md, Tenancy).
    const outsiders = findSyncedTable(change.table)?.outsiders;
    if (outsiders && isOutsiderView(change.row)) {
      const kept = outsiders.keep({ ...change.row, id: change.id });
      if (kept)
        rows.applyOutsiderRow(change.table, { id: change.id, version: change.version, ...kept });
      continue;
    }
    rows.applyServerRow(change.table, { ...change.row, id: change.id, version: change.version });
    if (pending.has(`${change.table}/${change.id}`)) {
      rebasePendingEdits(tx, rows, change.table, change.id);
    }
  }
}

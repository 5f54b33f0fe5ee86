import type pg from 'pg';
import { findSyncedTable } from '../../shared/catalog';
import { ApiError } from '../http/errors';

/**
 * Where a device is in the feed: the (transaction id, sequence) of the last entry it got, and
 * when the server handed the cursor out (absent in cursors of earlier versions).
 */
interface FeedPosition {
  txId: number;
  seq: number;
  issuedAt: Date | null;
}

export function encodeCursor(position: { txId: number; seq: number }, issuedAt: Date): string {
  return Buffer.from(`${position.txId}.${position.seq}.${issuedAt.getTime()}`).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string | undefined): FeedPosition {
  if (cursor === undefined || cursor === '') return { txId: 0, seq: 0, issuedAt: null };
  const match = /^(\d{1,19})\.(\d{1,19})(?:\.(\d{1,15}))?$/.exec(
    Buffer.from(cursor, 'base64url').toString(),
  );
  const txId = Number(match?.[1]);
  const seq = Number(match?.[2]);
  const issued = match?.[3] === undefined ? null : new Date(Number(match[3]));
  if (!match || !Number.isSafeInteger(txId) || !Number.isSafeInteger(seq)) {
    throw new ApiError(
      400,
      'invalid_request',
      'cursor: this is not a cursor the server handed out.',
    );
  }
  return { txId, seq, issuedAt: issued };
}

/**
 * The feed is read in (transaction id, sequence) order, and only entries of transactions older
 * than the snapshot's xmin are handed out: every such transaction has finished, and no new one
 * can take a smaller id. A transaction that took its sequence numbers early but commits late is
 * therefore never skipped: the cursor cannot move past it while it is still running.
 * Each entry carries its change as wire JSON text, written by the feed trigger. The page query is
 * the SQL function wardline_feed_page (migration 0007), which also pins its plan.
 *
 * The same statement (one snapshot) reads how far compaction has gone (feed-compaction.ts): a
 * cursor before that place, handed out before the horizon's cutoff (or by an earlier version,
 * which did not say when), belongs to a device away longer than the horizon, which may have
 * missed entries compaction removed: it gets no page but `cursor_expired` (a Wardline
 * extension, docs/SYNC.md "Feed retention"). Any other cursor, or none, reads the feed exactly as
 * before; every cursor handed out says when, so a pull from the start is never cut short.
 */
const PAGE_SQL = `
  with mark as (
    select coalesce((select (c.through_tx_id, c.through_seq) > ($2::bigint, $3::bigint)
                            and ($5::timestamptz is null or $5::timestamptz < c.horizon_cutoff)
                       from feed_compaction c where c.id = 1), false)
           and ($2::bigint, $3::bigint) <> (0::bigint, 0::bigint) as expired)
  select m.expired, p.seq, p.tx_id, p.row_id, p.version, p.table_name, p.shared, p.change
    from mark m
    left join lateral (
      select * from wardline_feed_page($1::uuid, $2::bigint, $3::bigint, $4::integer)
       where not m.expired) p on true`;

interface FeedEntry {
  seq: string;
  tx_id: string;
  row_id: string;
  version: number;
  table_name: string;
  /** From the part of the feed without a hospital, which every device reads. */
  shared: boolean;
  /** Null only for an entry of a row that no longer existed when migration 0007 ran. */
  change: string | null;
}

/** The lateral join's one row when the page is empty (or not read: the cursor expired). */
interface NoEntry {
  seq: null;
}

export const CURSOR_EXPIRED_MESSAGE =
  'This workstation was away longer than the server keeps its full history of changes: it must read the record again from the start. Its own unsent changes are kept and sent.';

/** 410: the feed from this place is gone (compacted); pulling without a cursor works. */
function cursorExpired(): ApiError {
  return new ApiError(410, 'cursor_expired', CURSOR_EXPIRED_MESSAGE);
}

/**
 * What a device receives of an entry without a hospital (SYNC-PROTOCOL.md, Tenancy): reference
 * data as it is; a row of a hospital table that belongs to no hospital (a regional
 * administrator) only as its catalog entry's outsider view, or not at all. Such entries are few
 * (administrators, not patients), so only they are parsed; every other entry stays the feed's
 * own text.
 */
function sharedChange(entry: FeedEntry & { change: string }): string | null {
  const table = findSyncedTable(entry.table_name);
  if (!table || table.scope === 'reference') return entry.change;
  if (!table.outsiders) return null;
  const change = JSON.parse(entry.change) as { row: Record<string, unknown> };
  return JSON.stringify({ ...change, row: table.outsiders.send(change.row) });
}

/**
 * One page of the device's hospital scope, as the response's JSON text. A row written several
 * times within the page is sent once, at its first place, with its highest version: rows
 * written in transactions that committed in the other order can reach the feed newest first.
 */
export async function pullChanges(
  pool: pg.Pool,
  options: { hospitalId: string; cursor: string | undefined; limit: number; now: Date },
): Promise<string> {
  const from = decodeCursor(options.cursor);
  const answer = await pool.query<{ expired: boolean } & (FeedEntry | NoEntry)>(PAGE_SQL, [
    options.hospitalId,
    from.txId,
    from.seq,
    options.limit,
    from.issuedAt?.toISOString() ?? null,
  ]);
  if (answer.rows[0]?.expired) throw cursorExpired();
  const page = {
    rows: answer.rows.filter((row): row is FeedEntry & { expired: boolean } => row.seq !== null),
  };
  const parts: string[] = [];
  const placed = new Map<string, { index: number; version: number }>();
  for (const entry of page.rows) {
    if (entry.change === null) continue;
    const change = entry.shared ? sharedChange({ ...entry, change: entry.change }) : entry.change;
    if (change === null) continue;
    const earlier = placed.get(entry.row_id);
    if (earlier === undefined) {
      placed.set(entry.row_id, { index: parts.length, version: entry.version });
      parts.push(change);
    } else if (entry.version >= earlier.version) {
      parts[earlier.index] = change;
      earlier.version = entry.version;
    }
  }
  const last = page.rows.at(-1);
  const cursor = last
    ? encodeCursor({ txId: Number(last.tx_id), seq: Number(last.seq) }, options.now)
    : encodeCursor(from, options.now);
  return `{"changes":[${parts.join(',')}],"cursor":"${cursor}","hasMore":${String(page.rows.length === options.limit)}}`;
}

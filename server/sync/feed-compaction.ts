/**
 * Feed retention (issue 14, docs/SERVER.md "Feed retention"): the change feed keeps every entry
 * for the horizon; beyond it, an entry superseded by a later version of the same row goes.
 *
 * Compaction walks the feed in pull order ((transaction id, sequence), as server/sync/pull.ts
 * reads it) from where it stopped last time, a batch per short transaction, and stops at the
 * first entry younger than the horizon or of a transaction that may still be running. Each
 * entry it passes removes the earlier entries of its own row (same table, id and hospital) up to
 * the end of the batch; the latest entry of a row is never removed, so a pull from the start
 * still ends with every row as the server has it. The place it reached and the horizon's cutoff
 * (`feed_compaction`) are written in the same transaction as the removals: a pull whose cursor
 * lies before that place and was handed out before the cutoff has been away longer than the
 * horizon, and is answered `cursor_expired` (pull.ts). The pull reads the place and its page in
 * one statement, so it sees the removals and the place together or neither.
 *
 * Safe beside pushes and pulls (removals only touch entries already past the horizon, and MVCC
 * readers keep their snapshot) and with several server processes: a transaction-scoped advisory
 * lock lets one batch at a time advance the place.
 */
import type pg from 'pg';
import { inTransaction } from '../db/transaction';
import { DEFAULT_COMPACTION_BATCH } from './feed-retention';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The advisory lock key of compaction (any constant distinct from the other keys in use). */
const COMPACTION_LOCK = "hashtext('wardline:feed-compaction')";

export interface CompactionOptions {
  horizonDays: number;
  now: Date;
  batchSize?: number;
  /** Stop after this many batches (a bound for one periodic run); the next run resumes. */
  maxBatches?: number;
}

export interface CompactionResult {
  /** Entries looked at (all older than the horizon). */
  scanned: number;
  removed: number;
  batches: number;
  /** Whether it reached the horizon (false: stopped by maxBatches, more remains). */
  complete: boolean;
}

interface ScannedEntry {
  seq: string;
  tx_id: string;
  table_name: string;
  row_id: string;
  hospital_id: string | null;
  version: number;
  committed_at: string;
}

const SCAN_SQL = `
  select f.seq, f.tx_id, f.table_name, f.row_id, f.hospital_id, f.version,
         to_char(f.committed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as committed_at
    from change_feed f
   where (f.tx_id, f.seq) > ($1::bigint, $2::bigint)
   order by f.tx_id, f.seq
   limit $3`;

/**
 * Removes each earlier entry of a batch entry's row, up to the end of the batch: the entry order
 * (version, then feed order) is the one a pull applies, so what is kept is what a device ends with.
 */
const REMOVE_SQL = `
  delete from change_feed l
   using unnest($1::uuid[], $2::text[], $3::uuid[], $4::integer[], $5::bigint[], $6::bigint[])
         as e(row_id, table_name, hospital_id, version, tx_id, seq)
   where l.row_id = e.row_id and l.table_name = e.table_name
     and l.hospital_id is not distinct from e.hospital_id
     and (l.version, l.tx_id, l.seq) < (e.version, e.tx_id, e.seq)
     and (l.tx_id, l.seq) <= ($7::bigint, $8::bigint)`;

const MARK_SQL = `
  insert into feed_compaction (id, through_tx_id, through_seq, horizon_cutoff, removed, compacted_at)
  values (1, $1, $2, $3, $4, $5)
  on conflict (id) do update
     set through_tx_id = excluded.through_tx_id, through_seq = excluded.through_seq,
         horizon_cutoff = greatest(feed_compaction.horizon_cutoff, excluded.horizon_cutoff),
         removed = feed_compaction.removed + excluded.removed, compacted_at = excluded.compacted_at
   where (feed_compaction.through_tx_id, feed_compaction.through_seq)
         < (excluded.through_tx_id, excluded.through_seq)`;

/** Compacts the feed up to the horizon, batch by batch; see the module comment. */
export async function compactFeed(
  pool: pg.Pool,
  options: CompactionOptions,
): Promise<CompactionResult> {
  const cutoff = new Date(options.now.getTime() - options.horizonDays * DAY_MS).toISOString();
  const batchSize = options.batchSize ?? DEFAULT_COMPACTION_BATCH;
  const result: CompactionResult = { scanned: 0, removed: 0, batches: 0, complete: false };
  while (options.maxBatches === undefined || result.batches < options.maxBatches) {
    const batch = await compactBatch(pool, { cutoff, batchSize, now: options.now });
    if (batch === null) return { ...result, complete: true };
    result.scanned += batch.scanned;
    result.removed += batch.removed;
    result.batches += 1;
  }
  return result;
}

async function compactBatch(
  pool: pg.Pool,
  options: { cutoff: string; batchSize: number; now: Date },
): Promise<{ scanned: number; removed: number } | null> {
  return inTransaction(pool, async (client) => {
    // One batch at a time across every server process; each reads the place the last one left.
    await client.query(`select pg_advisory_xact_lock(${COMPACTION_LOCK})`);
    const mark = await client.query<{ through_tx_id: string; through_seq: string }>(
      'select through_tx_id, through_seq from feed_compaction where id = 1',
    );
    const from = mark.rows[0] ?? { through_tx_id: '0', through_seq: '0' };
    const horizon = await client.query<{ xmin: string }>(
      'select (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint as xmin',
    );
    const xmin = BigInt(horizon.rows[0]?.xmin ?? '0');
    const scanned = await client.query<ScannedEntry>(SCAN_SQL, [
      from.through_tx_id,
      from.through_seq,
      options.batchSize,
    ]);
    // Up to the first entry younger than the horizon, or of a transaction that may still run
    // (every entry before the place must be final, as a pull cursor's are).
    const stop = scanned.rows.findIndex(
      (entry) => entry.committed_at >= options.cutoff || BigInt(entry.tx_id) >= xmin,
    );
    const entries = stop === -1 ? scanned.rows : scanned.rows.slice(0, stop);
    const last = entries.at(-1);
    if (!last) return null;
    const removed = await client.query(REMOVE_SQL, [
      entries.map((entry) => entry.row_id),
      entries.map((entry) => entry.table_name),
      entries.map((entry) => entry.hospital_id),
      entries.map((entry) => entry.version),
      entries.map((entry) => entry.tx_id),
      entries.map((entry) => entry.seq),
      last.tx_id,
      last.seq,
    ]);
    await client.query(MARK_SQL, [
      last.tx_id,
      last.seq,
      options.cutoff,
      removed.rowCount ?? 0,
      options.now.toISOString(),
    ]);
    return { scanned: entries.length, removed: removed.rowCount ?? 0 };
  });
}

/** What `compact-feed` prints and a periodic run logs. */
export interface FeedSize {
  entries: number;
  bytes: number;
}

/** The feed's entries and its size on disk (table, TOAST and indexes). */
export async function measureFeed(pool: pg.Pool): Promise<FeedSize> {
  const { rows } = await pool.query<{ entries: string; bytes: string }>(
    `select (select count(*) from change_feed) as entries,
            pg_total_relation_size('change_feed') as bytes`,
  );
  const row = rows[0];
  return { entries: Number(row?.entries ?? 0), bytes: Number(row?.bytes ?? 0) };
}

/** Batches one periodic run takes at most, so a backlog is worked off over several runs. */
const PERIODIC_MAX_BATCHES = 500;

/**
 * `serve`'s periodic compaction: every `everyMinutes`, one bounded run; a failure is logged and
 * the next run tries again. Several processes may each run it (the advisory lock serialises
 * their batches). Returns a stop function (which waits for a run in progress); its `flush`
 * waits for a run in progress without stopping.
 */
export function scheduleFeedCompaction(
  pool: pg.Pool,
  options: {
    horizonDays: number;
    everyMinutes: number;
    batchSize: number;
    now: () => Date;
    log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  },
): (() => Promise<void>) & { flush(): Promise<void> } {
  let running: Promise<void> | null = null;
  const run = () => {
    if (running) return;
    running = compactFeed(pool, {
      horizonDays: options.horizonDays,
      batchSize: options.batchSize,
      now: options.now(),
      maxBatches: PERIODIC_MAX_BATCHES,
    })
      .then((result) => {
        if (result.removed > 0) options.log.info({ ...result }, 'feed compaction');
      })
      .catch((error: unknown) => {
        options.log.error({ err: error }, 'feed compaction failed; the next run tries again');
      })
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(run, options.everyMinutes * 60 * 1000);
  timer.unref();
  const flush = async () => {
    await running;
  };
  return Object.assign(
    async () => {
      clearInterval(timer);
      await flush();
    },
    { flush },
  );
}

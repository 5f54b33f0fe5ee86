/**
 * The scope a scoped workstation keeps (docs/SYNC.md "Scope"): the whole patient index and
 * reference data, and the clinical rows of current stays, of stays that ended within the window,
 * and of older stays held for a reason (a chart opened online, a change not yet sent).
 *
 * The replica's line is `replica_scope.purged_before`: stays that ended before it are not held.
 * The snapshot set it to its own cutoff; each purge moves it forward to the window's start and
 * deletes what fell behind it, except stays with a change still in the outbox (held in
 * `stay_holds` until it is sent). Nothing is deleted on the server.
 */
import { sql } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import {
  DEFAULT_KEEP_OPENED_STAY_DAYS,
  STAY_RECORD_TABLES,
  stayCutoff,
} from '../../shared/replica-scope';
import type { Change } from '../../shared/protocol';
import { createReplicaRows, isSyncedTableName } from './replica-rows';
import { readReplicaScope } from './snapshot';
import type { ReplicaReader } from '../services/replica-reader';
import type { SyncTransport } from './transport';

type Reader = Pick<LocalDb, 'all' | 'get' | 'select'>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The scope's line, or null for a workstation that holds the whole hospital. */
export function scopeLine(db: Pick<LocalDb, 'select'>): string | null {
  const scope = readReplicaScope(db);
  if (!scope || scope.dischargedWithinDays === null) return null;
  return scope.purgedBefore;
}

type HeldQuestion = ReturnType<typeof prepareHeldQuestion>;
const heldQuestions = new WeakMap<ReplicaReader['$client'], HeldQuestion>();

function prepareHeldQuestion(db: ReplicaReader) {
  return db.$client.prepare<[string, string, string], { held: number }>(
    `select (v.status = 'admitted' or coalesce(v.discharged_at, v.updated_at) >= ?
             or exists (select 1 from stay_holds h where h.visit_id = v.id
                         and (h.kept_until is null or h.kept_until > ?))) as held
       from visits v where v.id = ?`,
  );
}

/** Asked at every chart open and pull page: prepared once per connection. */
function heldQuestion(db: ReplicaReader): HeldQuestion {
  let question = heldQuestions.get(db.$client);
  if (!question) {
    question = prepareHeldQuestion(db);
    heldQuestions.set(db.$client, question);
  }
  return question;
}

/**
 * Whether the replica holds a stay's clinical rows: always for a whole-hospital workstation, a
 * stay it does not know yet (it arrives in the same pull) and a current one; otherwise when the
 * stay ended at or after the line, or is held.
 */
export function stayHeldTest(db: ReplicaReader, now: Date): (visitId: string) => boolean {
  const line = scopeLine(db);
  if (line === null) return () => true;
  const at = now.toISOString();
  const known = new Map<string, boolean>();
  const question = heldQuestion(db);
  return (visitId) => {
    const cached = known.get(visitId);
    if (cached !== undefined) return cached;
    const row = question.get(line, at, visitId);
    const held = row === undefined || row.held === 1;
    known.set(visitId, held);
    return held;
  };
}

/** A pulled change of a stay the replica does not hold: not stored (docs/SYNC.md "Scope"). */
export function outsideScope(change: Change, held: (visitId: string) => boolean): boolean {
  if (!STAY_RECORD_TABLES.includes(change.table as (typeof STAY_RECORD_TABLES)[number]))
    return false;
  const visitId = change.row.visitId;
  return typeof visitId === 'string' && !held(visitId);
}

/**
 * Whether a stay has a change of this workstation still waiting to be sent (or refused), or a
 * file attached here whose bytes have not reached the server yet (purging its attachment row
 * would leave the bytes named by nothing, and they would be released unsent).
 */
function hasUnsentChange(db: Reader, visitId: string): boolean {
  if (db.get(sql`select 1 from outbox where table_name = 'visits' and row_id = ${visitId}`)) {
    return true;
  }
  const fileToUpload = db.get(
    sql`select 1 from attachments a join attachment_files f on f.sha256 = a.sha256
         where a.visit_id = ${visitId} and f.state = 'to_upload' limit 1`,
  );
  if (fileToUpload !== undefined) return true;
  return STAY_RECORD_TABLES.some(
    (table) =>
      db.get(
        sql`select 1 from outbox o join ${sql.identifier(table)} r on r.id = o.row_id
             where o.table_name = ${table} and r.visit_id = ${visitId} limit 1`,
      ) !== undefined,
  );
}

/**
 * Deletes the clinical rows of stays that left the scope, from the replica file itself
 * (`secure_delete`: their pages are overwritten, not only unlinked; the WAL is checkpointed and
 * truncated). A stay with a change still in the outbox, or a file attached here and not yet
 * uploaded, stays, held until it is sent.
 */
export function purgeOutOfScope(
  db: LocalDb,
  now: Date,
): { purgedStays: number; heldStays: number; rows: number } {
  const scope = readReplicaScope(db);
  if (!scope || scope.dischargedWithinDays === null || scope.snapshotDoneAt === null) {
    return { purgedStays: 0, heldStays: 0, rows: 0 };
  }
  const cutoff = stayCutoff(now, scope.dischargedWithinDays).toISOString();
  const line =
    scope.purgedBefore !== null && scope.purgedBefore > cutoff ? scope.purgedBefore : cutoff;
  const at = now.toISOString();
  const result = { purgedStays: 0, heldStays: 0, rows: 0 };
  const ended = `coalesce(v.discharged_at, v.updated_at)`;
  db.$client.pragma('secure_delete = ON');
  try {
    db.transaction((tx) => {
      tx.run(sql`pragma defer_foreign_keys = on`);
      // Stays that crossed the window's start since the last purge, and older stays whose hold
      // has run out (a chart opened online) or may have (a change that was waiting).
      const candidates = tx
        .all<{ id: string }>(
          sql`select v.id from visits v
               where v.status <> 'admitted' and ${sql.raw(ended)} < ${cutoff}
                 and (${sql.raw(ended)} >= ${scope.purgedBefore ?? ''}
                      or v.id in (select visit_id from stay_holds
                                   where kept_until is null or kept_until <= ${at}))`,
        )
        .map((row) => row.id);
      for (const visitId of candidates) {
        const hold = tx.get<{ keptUntil: string | null } | undefined>(
          sql`select kept_until as keptUntil from stay_holds where visit_id = ${visitId}`,
        );
        if (hold?.keptUntil && hold.keptUntil > at) continue;
        if (hasUnsentChange(tx, visitId)) {
          tx.run(sql`insert into stay_holds (visit_id, kept_until) values (${visitId}, null)
                     on conflict (visit_id) do update set kept_until = null`);
          result.heldStays += 1;
          continue;
        }
        for (const table of [...STAY_RECORD_TABLES].reverse()) {
          result.rows += tx.run(
            sql`delete from ${sql.identifier(table)} where visit_id = ${visitId}`,
          ).changes;
        }
        tx.run(sql`delete from stay_holds where visit_id = ${visitId}`);
        result.purgedStays += 1;
      }
      tx.run(sql`update replica_scope set purged_before = ${line} where id = 1`);
    });
  } finally {
    db.$client.pragma('secure_delete = OFF');
  }
  if (result.rows > 0) db.$client.pragma('wal_checkpoint(TRUNCATE)');
  return result;
}

/**
 * An older stay's chart opened online: its clinical rows are fetched and held for a while
 * (`keepDays`), then purged like any stay outside the window.
 */
export async function fetchStay(
  db: LocalDb,
  transport: SyncTransport,
  visitId: string,
  options: { now: Date; keepDays?: number },
): Promise<number> {
  const stay = await transport.stay(visitId);
  const keptUntil = new Date(
    options.now.getTime() + (options.keepDays ?? DEFAULT_KEEP_OPENED_STAY_DAYS) * DAY_MS,
  ).toISOString();
  const rows = createReplicaRows(db);
  db.transaction((tx) => {
    tx.run(sql`pragma defer_foreign_keys = on`);
    for (const change of stay.changes) {
      if (!isSyncedTableName(change.table)) continue;
      rows.applyServerRow(change.table, { ...change.row, id: change.id, version: change.version });
    }
    tx.run(sql`insert into stay_holds (visit_id, kept_until) values (${visitId}, ${keptUntil})
               on conflict (visit_id) do update set kept_until = excluded.kept_until
               where stay_holds.kept_until is not null`);
  });
  return stay.changes.length;
}

/**
 * A damaged replica (issue 14, "Integrity at start"). The replica is a copy of the hospital's
 * record, which the server has whole; what only this workstation has is what it has not sent:
 * the outbox, the audit chain (sent or not, the device's own proof of what happened here), the
 * people's sealed signing keys and the MRNs reserved for it. Those are read out of the damaged
 * file row by row, stepping over pages that no longer read, into a fresh replica, which then
 * pulls the record again and sends the salvaged changes. Sending one the server already took is
 * safe: it answers `duplicate` with its first answer (idempotency by mutation id).
 */
import Database, { type Database as SqliteDatabase } from 'better-sqlite3';
import { basename } from 'node:path';
import { z } from 'zod';
import type { LocalDb } from '../../db/local/open';
import { unlockReplica } from '../../db/local/open';
import { appendAuditEvent } from '../services/audit';
import { updateSyncState } from './sync-state';

/** The workstation-only tables worth keeping, in the order they are put back. */
const KEPT_TABLES = ['outbox', 'audit_logs', 'signing_keys', 'mrn_pool'] as const;
type KeptTable = (typeof KEPT_TABLES)[number];

/**
 * Device sequence numbers the fresh replica skips after the highest one salvaged: the lost tail
 * may hold numbers the server already took, and a number reused is refused (`sequence_reused`);
 * a gap is only a warning (`sequence_gap`).
 */
export const SEQUENCE_MARGIN = 10_000;

/** Seeks that may fail in a row before a table is given up as unreadable from there on. */
const MAX_FAILED_SEEKS = 64;

export interface Salvage {
  /** The damaged file, moved aside, and what quick_check found in it. */
  movedTo: string;
  problems: string[];
  rows: Record<KeptTable, number>;
  /** Tables with rows that could not be read (a damaged page): those rows are lost here. */
  damaged: KeptTable[];
  enrollment: { deviceId: string; hospitalId: string | null; serverUrl: string | null } | null;
}

interface TableRows {
  rows: Record<string, unknown>[];
  damaged: boolean;
}

/**
 * Reads every row it can, by rowid: one seek per row, so a damaged page costs the rows on it,
 * not the rest of the table. After a failed seek the next starts further on, doubling the stride,
 * until it lands past the damage.
 */
function readTolerantly(sqlite: SqliteDatabase, table: string): TableRows {
  const rows: Record<string, unknown>[] = [];
  let damaged = false;
  let seek: ReturnType<SqliteDatabase['prepare']>;
  try {
    seek = sqlite.prepare(
      `select rowid as "rowid:salvage", * from "${table}" where rowid > ? order by rowid limit 1`,
    );
  } catch {
    return { rows, damaged: true };
  }
  let after = 0;
  let stride = 1;
  for (let failed = 0; failed < MAX_FAILED_SEEKS;) {
    let row: Record<string, unknown> | undefined;
    try {
      row = seek.get(after) as Record<string, unknown> | undefined;
    } catch {
      damaged = true;
      failed += 1;
      after += stride;
      stride *= 2;
      continue;
    }
    if (!row) return { rows, damaged };
    after = Number(row['rowid:salvage']);
    stride = 1;
    failed = 0;
    const { ['rowid:salvage']: _rowid, ...values } = row;
    rows.push(values);
  }
  return { rows, damaged: true };
}

/** One row, if it reads and has the expected shape: a damaged page may hold anything. */
function readOne<S extends z.ZodType>(
  sqlite: SqliteDatabase,
  sql: string,
  schema: S,
): z.infer<S> | undefined {
  try {
    const parsed = schema.safeParse(sqlite.prepare(sql).get());
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const SequenceRowSchema = z.object({ seq: z.number().int() });
const EnrollmentRowSchema = z.object({
  device_id: z.string().nullable(),
  hospital_id: z.string().nullable(),
  server_url: z.string().nullable(),
});

interface Salvaged {
  tables: Record<KeptTable, TableRows>;
  outboxSequence: number;
  enrollment: Salvage['enrollment'];
}

/** Everything readable of the kept tables in the damaged file; nothing if the key cannot open it. */
export function readSalvage(file: string, key: Buffer): Salvaged {
  const empty = (): TableRows => ({ rows: [], damaged: true });
  let sqlite: SqliteDatabase;
  try {
    sqlite = new Database(file, { fileMustExist: true });
    unlockReplica(sqlite, file, key);
  } catch {
    return {
      tables: { outbox: empty(), audit_logs: empty(), signing_keys: empty(), mrn_pool: empty() },
      outboxSequence: 0,
      enrollment: null,
    };
  }
  try {
    const tables = Object.fromEntries(
      KEPT_TABLES.map((table) => [table, readTolerantly(sqlite, table)]),
    ) as Record<KeptTable, TableRows>;
    const sequence = readOne(
      sqlite,
      "select seq from sqlite_sequence where name = 'outbox'",
      SequenceRowSchema,
    );
    const state = readOne(
      sqlite,
      'select device_id, hospital_id, server_url from sync_state where id = 1',
      EnrollmentRowSchema,
    );
    return {
      tables,
      outboxSequence: sequence?.seq ?? 0,
      enrollment: state?.device_id
        ? { deviceId: state.device_id, hospitalId: state.hospital_id, serverUrl: state.server_url }
        : null,
    };
  } finally {
    sqlite.close();
  }
}

/** Puts the salvaged rows into the fresh replica `db`, in one transaction, and records it. */
export function restoreSalvage(
  db: LocalDb,
  salvaged: Salvaged,
  aside: { movedTo: string; problems: string[]; at: Date },
): Salvage {
  const sqlite = db.$client;
  const rows = { outbox: 0, audit_logs: 0, signing_keys: 0, mrn_pool: 0 };
  db.transaction(() => {
    if (salvaged.enrollment) {
      updateSyncState(db, {
        deviceId: salvaged.enrollment.deviceId,
        hospitalId: salvaged.enrollment.hospitalId,
        serverUrl: salvaged.enrollment.serverUrl,
      });
    }
    for (const table of KEPT_TABLES) {
      const columns = new Set(
        (sqlite.pragma(`table_info("${table}")`) as { name: string }[]).map((c) => c.name),
      );
      for (const row of salvaged.tables[table].rows) {
        const names = Object.keys(row).filter((name) => columns.has(name));
        const insert = sqlite.prepare(
          `insert or ignore into "${table}" (${names.map((n) => `"${n}"`).join(', ')})
           values (${names.map(() => '?').join(', ')})`,
        );
        rows[table] += insert.run(...names.map((name) => row[name])).changes;
      }
    }
    const highest = Math.max(
      salvaged.outboxSequence,
      ...salvaged.tables.outbox.rows.map((row) => Number(row.device_seq)),
      0,
    );
    sqlite.prepare("delete from sqlite_sequence where name = 'outbox'").run();
    sqlite
      .prepare("insert into sqlite_sequence (name, seq) values ('outbox', ?)")
      .run(highest + SEQUENCE_MARGIN);
  });
  const damaged = KEPT_TABLES.filter((table) => salvaged.tables[table].damaged);
  const salvage: Salvage = {
    movedTo: aside.movedTo,
    problems: aside.problems,
    rows,
    damaged,
    enrollment: salvaged.enrollment,
  };
  db.transaction(() => {
    appendAuditEvent(db, {
      action: 'replica.salvage',
      entity: 'devices',
      entityId: salvaged.enrollment?.deviceId ?? null,
      userId: null,
      at: aside.at.toISOString(),
      after: {
        movedTo: basename(aside.movedTo),
        problems: aside.problems.slice(0, 5),
        rows,
        damaged,
      },
    });
    updateSyncState(db, { lastError: salvageSentence(salvage) });
  });
  return salvage;
}

export function salvageSentence(salvage: Salvage): string {
  const lost =
    salvage.damaged.length > 0
      ? ` Some of it could not be read (${salvage.damaged.join(', ')}): tell IT.`
      : '';
  return `This computer's copy of the patient data was damaged and was set aside (${basename(salvage.movedTo)}). ${salvage.rows.outbox} entries not yet confirmed by the server were recovered and are sent again; the rest is fetched from the server.${lost}`;
}

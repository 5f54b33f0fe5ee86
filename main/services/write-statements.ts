/**
 * The statements of the write path (write-path.ts), prepared once per connection: drizzle builds
 * the SQL text and asks SQLite to compile it on every call unless a query is prepared, and the
 * write path's shapes are few (one per table and set of columns given).
 */
import { getTableName, sql, type InferInsertModel, type InferSelectModel } from 'drizzle-orm';
import type { Statement, Transaction } from 'better-sqlite3';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { LocalDb } from '../../db/local/open';
import type { ReplicaReader } from './replica-reader';

/** What the write path needs of a drizzle prepared query: run it with its placeholder values. */
interface PreparedRow {
  get(placeholderValues?: Record<string, unknown>): unknown;
}

// Placeholders are still encoded by drizzle per column (json, booleans). Nothing computed at
// build time may live in these statements: the schema has no $defaultFn.
const preparedRows = new WeakMap<object, Map<string, PreparedRow>>();
const preparedRuns = new WeakMap<object, Map<string, PreparedRun>>();

interface PreparedRun {
  run(placeholderValues?: Record<string, unknown>): { changes: number };
}

function cachedStatement<S>(
  cache: WeakMap<object, Map<string, S>>,
  db: ReplicaReader,
  key: string,
  build: () => S,
): S {
  let byKey = cache.get(db.$client);
  if (!byKey) {
    byKey = new Map();
    cache.set(db.$client, byKey);
  }
  let statement = byKey.get(key);
  if (!statement) {
    statement = build();
    byKey.set(key, statement);
  }
  return statement;
}

/** One row by primary key through a statement prepared once per table and connection. */
export function findById<T extends SQLiteTable>(
  db: ReplicaReader,
  table: T,
  id: string,
): InferSelectModel<T> | undefined {
  const statement = cachedStatement(preparedRows, db, `select ${getTableName(table)}`, () =>
    db
      .select()
      .from(table as SQLiteTable)
      .where(sql`id = ${sql.placeholder('id')}`)
      .prepare(),
  );
  return statement.get({ id }) as InferSelectModel<T> | undefined;
}

/** Inserts `row` (only its defined members) and returns the stored row, as drizzle maps it. */
export function insertReturning<T extends SQLiteTable>(
  db: LocalDb,
  table: T,
  row: Record<string, unknown>,
): InferSelectModel<T> {
  const columns = Object.keys(row).filter((key) => row[key] !== undefined);
  const statement = cachedStatement(
    preparedRows,
    db,
    `insert ${getTableName(table)} ${columns.join(',')}`,
    () =>
      db
        .insert(table)
        .values(
          Object.fromEntries(
            columns.map((key) => [key, sql.placeholder(key)]),
          ) as InferInsertModel<T>,
        )
        .returning()
        .prepare(),
  );
  return statement.get(row) as InferSelectModel<T>;
}

// The outbox append has one shape: prepared once per connection, not rebuilt per write.
const outboxStatements = new WeakMap<
  LocalDb['$client'],
  { insert: Statement; lastSeq: Statement<[], { seq: number }> }
>();

/**
 * The outbox append, and the device sequence number the next append takes. The number is part of
 * what the author signs, so it is chosen before the row is written, inside the write path's
 * immediate transaction (no other writer can take it meanwhile); AUTOINCREMENT's own counter
 * (sqlite_sequence) is the one it follows, so a number is never used twice.
 */
export function outboxStatementsOf(db: LocalDb) {
  let statements = outboxStatements.get(db.$client);
  if (!statements) {
    statements = {
      insert: db.$client.prepare(
        `insert into outbox (device_seq, mutation_id, user_id, table_name, op, row_id, base_version, data, client_time, signature)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      lastSeq: db.$client.prepare(
        `select max(coalesce((select seq from sqlite_sequence where name = 'outbox'), 0),
                    coalesce((select max(device_seq) from outbox), 0)) as seq`,
      ),
    };
    outboxStatements.set(db.$client, statements);
  }
  return statements;
}

// When the server refused this workstation's token, if it did (sync_state.device_revoked_at).
const revocations = new WeakMap<object, Statement<[], { at: string | null }>>();

export function deviceRevocation(db: LocalDb) {
  let statement = revocations.get(db.$client);
  if (!statement) {
    statement = db.$client.prepare('select device_revoked_at as at from sync_state where id = 1');
    revocations.set(db.$client, statement);
  }
  return statement;
}

// The refused insert a withdrawal names, read by its mutation id.
const refusedInserts = new WeakMap<
  object,
  Statement<[string], { tableName: string; rowId: string }>
>();

export function refusedInsert(db: LocalDb) {
  let statement = refusedInserts.get(db.$client);
  if (!statement) {
    statement = db.$client.prepare(
      `select table_name as tableName, row_id as rowId from outbox
        where mutation_id = ? and op = 'insert' and status = 'rejected'`,
    );
    refusedInserts.set(db.$client, statement);
  }
  return statement;
}

/** Sets `changes` on one row by id; the statement is prepared once per table and set of columns. */
export function updateById(
  db: LocalDb,
  table: SQLiteTable,
  id: string,
  changes: Record<string, unknown>,
): { changes: number } {
  const columns = Object.keys(changes);
  const statement = cachedStatement(
    preparedRuns,
    db,
    `update ${getTableName(table)} ${columns.join(',')}`,
    () =>
      db
        .update(table)
        .set(Object.fromEntries(columns.map((key) => [key, sql.placeholder(key)])))
        .where(sql`id = ${sql.placeholder('id')}`)
        .prepare(),
  );
  return statement.run({ ...changes, id });
}

// better-sqlite3 builds a transaction function's BEGIN/COMMIT statements when it is created:
// one per connection, reused by every write.
export type Run = (work: () => unknown) => unknown;
const transactions = new WeakMap<LocalDb['$client'], Transaction<Run>>();

export function immediateTransaction(db: LocalDb): Run {
  let transaction = transactions.get(db.$client);
  if (!transaction) {
    transaction = db.$client.transaction((work: () => unknown) => work());
    transactions.set(db.$client, transaction);
  }
  const cached = transaction;
  return (work) => cached.immediate(work);
}

/**
 * The single write path (ARCHITECTURE.md "One write path"). Every change to the replica made on
 * behalf of a person runs here, in ONE SQLite transaction that writes the row(s), appends the
 * outbox mutation(s) of SYNC-PROTOCOL.md and appends the hash-chained audit event(s). If any
 * step throws, nothing of it is kept: no row, no outbox entry, no audit event.
 */
import { getTableName, type InferInsertModel, type InferSelectModel } from 'drizzle-orm';
import { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { RunResult, Statement } from 'better-sqlite3';
import type { SQLiteDeleteBase, SQLiteTable, SQLiteUpdateBuilder } from 'drizzle-orm/sqlite-core';
import { v7 as uuidv7 } from 'uuid';
import type { LocalDb } from '../../db/local/open';
import type { cachedCredentials, mrnPool, outbox, syncConflicts } from '../../db/local/schema';
import { mutationSigningText } from '../../shared/authorship';
import { MAX_MUTATION_BYTES, type MutationOp } from '../../shared/protocol';
import type { Signer } from '../auth/signer';
import type { Clock } from '../clock';
import { diskFullRefusal } from '../disk-full';
import { refuse } from '../errors';
import { outboxMutation } from '../sync/outbox-mutation';
import { appendAuditEvent, type AuditInput } from './audit';
import type { ReplicaReader } from './replica-reader';
import {
  deviceRevocation,
  findById,
  immediateTransaction,
  insertReturning,
  outboxStatementsOf,
  refusedInsert,
  updateById,
} from './write-statements';

export { findById };

export interface Actor {
  userId: string;
  hospitalId: string;
  /**
   * The person's signing key (main/auth/signing-keys.ts): every outbox mutation and audit event
   * of their change is signed with it in the change's own transaction. Null only for a person
   * with no key on this workstation yet (upgraded from protocol 1, signed in offline): their
   * mutations are stored unsigned and wait for their next online sign-in.
   */
  signer: Signer | null;
}

/** What a service is handed: it reads the replica, and changes it only through `writeClinical`. */
export interface WriteContext {
  db: ReplicaReader;
  clock: Clock;
  actor: Actor;
}

/**
 * The workstation-only tables a clinical change may also touch in its transaction: the MRN it
 * takes, the offline lock an unlock clears, the conflict a person settles, the refused change a
 * person dismisses. They never travel as rows, so their changes carry no outbox mutation. Which
 * module writes which of them is the lint rule's to check (docs/WORKSTATION.md "Who writes the
 * replica"); the audit chain is appended only by `WriteBatch.audit`.
 */
type WorkstationTable =
  typeof mrnPool | typeof cachedCredentials | typeof syncConflicts | typeof outbox;

export interface WorkstationTableWriter {
  update<T extends WorkstationTable>(table: T): SQLiteUpdateBuilder<T, 'sync', RunResult>;
  delete<T extends WorkstationTable>(table: T): SQLiteDeleteBase<T, 'sync', RunResult>;
}

/** The write path fills these itself; the server overrides most of them anyway. */
type SyncKey =
  'id' | 'hospitalId' | 'version' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'updatedBy';

type WithoutSync<R> = { [K in keyof R as K extends SyncKey ? never : K]: R[K] };
export type NewRow<T extends SQLiteTable> = WithoutSync<InferInsertModel<T>> & { id?: string };
export type RowChanges<T extends SQLiteTable> = Partial<WithoutSync<InferInsertModel<T>>>;

interface AuditOptions {
  /** The clinical action, e.g. `visit.admit`; defaults to `<table>.<op>`. */
  action?: string;
}

/**
 * What one transaction may do; handed to the work function of `writeClinical`, the only place
 * one is made (the class is exported as a type only). The transaction itself stays private: a
 * synced row changes through `insert`, `update` and `remove`, each with its outbox mutation and
 * audit event; reads go through `db` and `read`.
 */
class WriteBatch {
  readonly now: string;
  /** Reads inside the transaction, so a check and the write that depends on it are atomic. */
  readonly db: ReplicaReader;
  /** The workstation-only tables this change also touches; see `WorkstationTable`. */
  readonly local: WorkstationTableWriter;
  readonly #tx: LocalDb;
  #mayChangeRecords = false;

  constructor(
    tx: LocalDb,
    readonly actor: Actor,
    now: Date,
  ) {
    if (actor.signer && actor.signer.userId !== actor.userId)
      throw new Error('write path: a change is signed only by the person who makes it');
    this.#tx = tx;
    this.db = tx;
    this.local = tx;
    this.now = now.toISOString();
  }

  insert<T extends SQLiteTable>(
    table: T,
    row: NewRow<T>,
    options: AuditOptions = {},
  ): InferSelectModel<T> {
    const name = getTableName(table);
    const full = {
      ...row,
      id: row.id ?? uuidv7(),
      hospitalId: this.actor.hospitalId,
      version: 0,
      createdAt: this.now,
      updatedAt: this.now,
      deletedAt: null,
      updatedBy: this.actor.userId,
    };
    const stored = insertReturning(this.#tx, table, full) as InferSelectModel<T> & { id: string };
    this.appendMutation(name, 'insert', stored.id, null, stored);
    this.audit({
      action: options.action ?? `${name}.insert`,
      entity: name,
      entityId: stored.id,
      after: stored,
    });
    return stored;
  }

  /** Writes only the fields that really change; the outbox carries just those (field-level merge). */
  update<T extends SQLiteTable>(
    table: T,
    id: string,
    changes: RowChanges<T>,
    options: AuditOptions = {},
  ): InferSelectModel<T> {
    const name = getTableName(table);
    const current: Record<string, unknown> = this.read(table, id);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      const old = current[key];
      if (JSON.stringify(old) === JSON.stringify(value)) continue;
      before[key] = old;
      after[key] = value;
    }
    if (Object.keys(after).length === 0) return current as InferSelectModel<T>;
    this.setOne(table, id, { ...after, updatedAt: this.now, updatedBy: this.actor.userId });
    this.appendMutation(name, 'update', id, Number(current.version), after);
    this.audit({
      action: options.action ?? `${name}.update`,
      entity: name,
      entityId: id,
      before,
      after,
    });
    return {
      ...current,
      ...after,
      updatedAt: this.now,
      updatedBy: this.actor.userId,
    } as InferSelectModel<T>;
  }

  /** A soft delete (SYNC-PROTOCOL.md): the row stays, with `deletedAt` set, so the removal syncs. */
  remove(table: SQLiteTable, id: string, options: AuditOptions = {}): void {
    const name = getTableName(table);
    const current: Record<string, unknown> = this.read(table, id);
    if (current.deletedAt !== null) return;
    this.setOne(table, id, {
      deletedAt: this.now,
      updatedAt: this.now,
      updatedBy: this.actor.userId,
    });
    this.appendMutation(name, 'delete', id, Number(current.version), {});
    this.audit({
      action: options.action ?? `${name}.delete`,
      entity: name,
      entityId: id,
      before: current,
    });
  }

  /**
   * Hides a row this workstation inserted and the server refused, once a person has dismissed the
   * refusal. The hospital's record never had the row, so the soft delete stays here: no outbox
   * mutation (there is nothing on the server to delete), but an audit event like any change.
   * Only a row whose insert the outbox holds as refused can be withdrawn this way.
   */
  withdrawRefusedInsert(table: SQLiteTable, id: string, mutationId: string): void {
    const name = getTableName(table);
    const refused = refusedInsert(this.#tx).get(mutationId);
    if (refused?.tableName !== name || refused.rowId !== id)
      throw new Error(`write path: ${name} ${id} has no refused insert ${mutationId} to withdraw`);
    const current: Record<string, unknown> = this.read(table, id);
    if (current.deletedAt !== null) return;
    this.setOne(table, id, {
      deletedAt: this.now,
      updatedAt: this.now,
      updatedBy: this.actor.userId,
    });
    this.audit({
      action: 'sync.withdraw_refused_insert',
      entity: name,
      entityId: id,
      before: { deletedAt: null },
      after: { deletedAt: this.now, mutationId },
    });
  }

  /** Reads a row inside the transaction, so a check and the write that depends on it are atomic. */
  read<T extends SQLiteTable>(table: T, id: string): InferSelectModel<T> {
    const row = findById(this.#tx, table, id);
    if (!row)
      refuse(
        'not_found',
        `That ${getTableName(table).replace(/_/g, ' ')} record no longer exists.`,
        'not_found',
      );
    return row;
  }

  audit(event: AuditInput): void {
    appendAuditEvent(
      this.#tx,
      { ...event, userId: this.actor.userId, at: this.now },
      this.actor.signer,
    );
  }

  private setOne(table: SQLiteTable, id: string, changes: Record<string, unknown>): void {
    const result = updateById(this.#tx, table, id, changes);
    if (result.changes !== 1) {
      throw new Error(
        `write path: expected to change 1 ${getTableName(table)} row, changed ${result.changes}`,
      );
    }
  }

  /**
   * Appends the mutation signed, as it will be sent: its device sequence number is taken first
   * (it is signed too), and the data is signed as it reads back from the stored JSON.
   */
  private appendMutation(
    table: string,
    op: MutationOp,
    rowId: string,
    baseVersion: number | null,
    data: Record<string, unknown>,
  ): void {
    this.requireEnrollment();
    const dataText = JSON.stringify(data);
    requireSendable(dataText);
    const statements = outboxStatementsOf(this.#tx);
    const deviceSeq = (statements.lastSeq.get()?.seq ?? 0) + 1;
    const fields = {
      mutationId: uuidv7(),
      deviceSeq,
      userId: this.actor.userId,
      tableName: table,
      op,
      rowId,
      baseVersion,
      data: JSON.parse(dataText) as Record<string, unknown>,
      clientTime: this.now,
    };
    const signer = this.actor.signer;
    const signature = signer ? signer.sign(mutationSigningText(outboxMutation(fields))) : null;
    statements.insert.run(
      deviceSeq,
      fields.mutationId,
      fields.userId,
      table,
      op,
      rowId,
      baseVersion,
      dataText,
      fields.clientTime,
      signature,
    );
  }

  /**
   * A workstation whose enrollment IT revoked takes no new change of the hospital's records: it
   * could never be sent. Reading (and the audit of reading) goes on; what is unsent is kept.
   */
  private requireEnrollment(): void {
    if (this.#mayChangeRecords) return;
    if (deviceRevocation(this.#tx).get()?.at)
      refuse(
        'device_revoked',
        "This workstation's enrollment was withdrawn by IT, so it takes no new entries: they could not be sent to the hospital's record. Records can still be read, and entries not yet sent are kept. Ask IT to enroll this workstation again.",
        'forbidden',
      );
    this.#mayChangeRecords = true;
  }
}

/**
 * One change must always fit in a push on its own (MAX_MUTATION_BYTES, well under the server's
 * body limit): a bigger one is refused here, before it is stored, never found out at the server.
 */
function requireSendable(dataText: string): void {
  const bytes = Buffer.byteLength(dataText);
  if (bytes <= MAX_MUTATION_BYTES) return;
  refuse(
    'entry_too_large',
    `This entry is too large to save (${(bytes / 1024 / 1024).toFixed(1)} MB; at most ${MAX_MUTATION_BYTES / 1024 / 1024} MB). Shorten it or split it into several entries.`,
    'invalid',
  );
}

export type { WriteBatch };

/**
 * Services hold the replica as a `ReplicaReader`; the object is the replica's one drizzle
 * connection, and this module alone turns it back into the handle that writes.
 */
function writableReplica(db: ReplicaReader): db is LocalDb {
  return db instanceof BetterSQLite3Database;
}

function replicaOf(context: WriteContext): LocalDb {
  if (!writableReplica(context.db))
    throw new Error('write path: the context does not hold the replica connection');
  return context.db;
}

/**
 * Runs `work` in one immediate transaction. `immediate` takes the write lock up front so the
 * checks the work makes (is the bed free?) cannot be overtaken by another writer.
 */
export function writeClinical<R>(context: WriteContext, work: (batch: WriteBatch) => R): R {
  const now = context.clock.now();
  const db = replicaOf(context);
  try {
    return immediateTransaction(db)(() => work(new WriteBatch(db, context.actor, now))) as R;
  } catch (error) {
    throw diskFullRefusal(error);
  }
}

// Why a read's audit event commits with synchronous=NORMAL (docs/WORKSTATION.md "Read audit
// events"): in WAL mode that commit skips only its own fsync. It survives a crash of the app at
// once and a power cut as soon as the next FULL commit (any clinical write, any sync) fsyncs the
// WAL behind it; at worst a power cut loses the last read events, never a clinical write, and the
// chain stays whole (a lost tail is a shorter chain, not a broken one). Clinical writes stay FULL.
const syncPragmas = new WeakMap<object, { normal: Statement; full: Statement }>();

/** Records that a person read something (a chart): one audit event, in its own transaction. */
export function auditRead(context: WriteContext, event: AuditInput): void {
  const db = replicaOf(context);
  let pragmas = syncPragmas.get(db.$client);
  if (!pragmas) {
    pragmas = {
      normal: db.$client.prepare('pragma synchronous = NORMAL'),
      full: db.$client.prepare('pragma synchronous = FULL'),
    };
    syncPragmas.set(db.$client, pragmas);
  }
  pragmas.normal.run();
  try {
    writeClinical(context, (batch) => {
      batch.audit(event);
    });
  } finally {
    pragmas.full.run();
  }
}

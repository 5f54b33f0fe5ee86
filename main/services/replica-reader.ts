/**
 * What a service holds of the replica: a way to read it. A synced row changes only inside
 * `writeClinical` (write-path.ts), which writes the row, its outbox mutation and its audit event
 * together; a service handed this type cannot reach the connection's writes by accident
 * (issue 10). The object behind it is the replica's one connection, so reads see every commit.
 */
import type { Statement } from 'better-sqlite3';
import type { LocalDb } from '../../db/local/open';

/** A prepared statement that can only be read from: `run` is what executes a write. */
export type ReadStatement<Params extends unknown[], Result> = Omit<
  Statement<Params, Result>,
  'run'
>;

/** better-sqlite3's connection as a reader: statements to read, no `exec`, no transaction. */
export interface ReplicaClient {
  prepare<Params extends unknown[] = unknown[], Result = unknown>(
    source: string,
  ): ReadStatement<Params, Result>;
  /** Named parameters: one object binds them all. */
  prepare<Params extends object, Result = unknown>(source: string): ReadStatement<[Params], Result>;
}

/**
 * drizzle's replica without `insert`, `update`, `delete`, `run`, raw `all`/`get`/`values` (which
 * would run any statement), `with` (whose builders write too) and `transaction`.
 */
export type ReplicaReader = Pick<LocalDb, 'select' | 'selectDistinct' | '$count' | 'query'> & {
  readonly $client: ReplicaClient;
};

/**
 * A service holds the replica as a `ReplicaReader` and changes it only through `writeClinical`
 * (issue 10). The `@ts-expect-error` lines are the proof, checked by the type-check of
 * `npm test`: were the reader or the batch to offer a write, the line would compile, and an
 * unused `@ts-expect-error` fails the type-check. The tests show what is left still works.
 */
import { count } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mrnPool, users, type auditLogs, type vitals } from '../../../db/local/schema';
import { createManualClock } from '../../../main/clock';
import type { ReplicaReader } from '../../../main/services/replica-reader';
import * as writePath from '../../../main/services/write-path';
import { writeClinical, type WriteBatch } from '../../../main/services/write-path';
import { createTestReplica, type TestReplica } from '../../support/sqlite';

// Read by the type-check only.
declare const _batch: WriteBatch;
// @ts-expect-error a service's replica has no insert
export type ReaderInsert = ReplicaReader['insert'];
// @ts-expect-error no update
export type ReaderUpdate = ReplicaReader['update'];
// @ts-expect-error no delete
export type ReaderDelete = ReplicaReader['delete'];
// @ts-expect-error no raw SQL
export type ReaderRun = ReplicaReader['run'];
// @ts-expect-error no `with`, whose builders write too
export type ReaderWith = ReplicaReader['with'];
// @ts-expect-error no transaction of its own
export type ReaderTransaction = ReplicaReader['transaction'];
// @ts-expect-error the connection underneath runs no script
export type ClientExec = ReplicaReader['$client']['exec'];
// @ts-expect-error and a statement a service prepares cannot run
export type StatementRun = ReturnType<ReplicaReader['$client']['prepare']>['run'];
// @ts-expect-error the batch keeps its transaction private
export type BatchTransaction = WriteBatch['tx'];
// @ts-expect-error a synced table changes through batch.update, with outbox and audit
export type LocalVitals = typeof _batch.local.update<typeof vitals>;
// @ts-expect-error the audit chain is appended by batch.audit alone
export type LocalAudit = typeof _batch.local.delete<typeof auditLogs>;

describe('the replica as services hold it', () => {
  let replica: TestReplica;
  beforeEach(() => {
    replica = createTestReplica();
  });
  afterEach(() => {
    replica.close();
  });

  it('reads through drizzle and through prepared statements', () => {
    const reader: ReplicaReader = replica.db;
    expect(reader.select({ n: count() }).from(users).get()).toEqual({ n: 0 });
    expect(reader.$client.prepare<[], { one: number }>('select 1 as one').get()).toEqual({
      one: 1,
    });
  });

  it('writes only through a batch, which only writeClinical makes and whose transaction is not a property of it', () => {
    expect(Object.keys(writePath)).not.toContain('WriteBatch');
    replica.db.insert(mrnPool).values({ mrn: 'NGH-T00001' }).run();
    const context = {
      db: replica.db,
      clock: createManualClock(new Date('2026-11-23T08:00:00.000Z')),
      actor: { userId: 'u', hospitalId: 'h', signer: null },
    };
    const keys = writeClinical(context, (batch) => {
      batch.local.update(mrnPool).set({ usedAt: batch.now }).run();
      return Object.keys(batch);
    });
    expect(keys).not.toContain('tx');
    expect(replica.db.select().from(mrnPool).get()?.usedAt).toBe('2026-11-23T08:00:00.000Z');
  });

  it('refuses to write through anything but the replica connection', () => {
    const { db } = replica;
    const readerOnly: ReplicaReader = {
      select: db.select.bind(db),
      selectDistinct: db.selectDistinct.bind(db),
      $count: db.$count.bind(db),
      query: db.query,
      $client: db.$client,
    };
    const context = {
      db: readerOnly,
      clock: createManualClock(new Date('2026-11-23T08:00:00.000Z')),
      actor: { userId: 'u', hospitalId: 'h', signer: null },
    };
    expect(() => {
      writeClinical(context, () => undefined);
    }).toThrow(/not hold the replica/);
  });
});

/**
 * MRNs the server reserved for this workstation (POST /v1/ids/reserve). Two reception desks
 * offline at once must never hand out the same MRN, so registration only ever takes from here.
 */
import { asc, count, eq, isNull } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { mrnPool } from '../../db/local/schema';
import { refuse } from '../errors';
import type { ReplicaReader } from './replica-reader';
import type { WriteBatch } from './write-path';

// This module owns mrn_pool: the sync refill adds what the server reserved, a registration takes.

export function addReservedMrns(db: LocalDb, mrns: readonly string[]): void {
  if (mrns.length === 0) return;
  db.insert(mrnPool)
    .values(mrns.map((mrn) => ({ mrn })))
    .onConflictDoNothing()
    .run();
}

export function countFreeMrns(db: ReplicaReader): number {
  return db.select({ n: count() }).from(mrnPool).where(isNull(mrnPool.usedAt)).get()?.n ?? 0;
}

/** Takes the next free MRN inside the registering transaction, so a rollback gives it back. */
export function takeMrn(batch: WriteBatch): string {
  const next = batch.db
    .select({ mrn: mrnPool.mrn })
    .from(mrnPool)
    .where(isNull(mrnPool.usedAt))
    .orderBy(asc(mrnPool.mrn))
    .limit(1)
    .get();
  if (!next) {
    refuse(
      'mrn_pool_empty',
      'No medical record numbers are left on this workstation. Connect to the network so the server can reserve more, then register the patient.',
    );
  }
  batch.local.update(mrnPool).set({ usedAt: batch.now }).where(eq(mrnPool.mrn, next.mrn)).run();
  return next.mrn;
}

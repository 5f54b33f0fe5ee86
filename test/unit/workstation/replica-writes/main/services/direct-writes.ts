// A service that changes the replica behind the write path's back, every way the rule knows.
import { eq } from 'drizzle-orm';
import type { LocalDb } from '../../../../../../db/local/open';
import { cachedCredentials, outbox, vitals } from '../../../../../../db/local/schema';
import { localSyncedTables } from '../../../../../../db/local/synced-tables';
import type { WriteBatch } from '../../../../../../main/services/write-path';

export function correctVitalsQuietly(db: LocalDb, id: string): void {
  db.update(vitals) // expect: syncedTable
    .set({ notes: 'edited without outbox or audit' })
    .where(eq(vitals.id, id))
    .run();
  db.delete(vitals).where(eq(vitals.id, id)).run(); // expect: syncedTable
  db.insert(localSyncedTables.patients).values({}).run(); // expect: unknownTable
  db.transaction((tx) => {
    tx.update(vitals).set({ notes: 'in a transaction' }).run(); // expect: syncedTable
  });
}

export function rawWrites(db: LocalDb, source: string): void {
  db.$client.prepare('update vitals set notes = null where id = ?').run('v'); // expect: syncedTable
  db.$client.prepare(source).run(); // expect: unknownTable
  db.$client.exec('delete from outbox'); // expect: workstationTable
  db.run(`insert into vitals (id) values ('v')`); // expect: syncedTable
}

export function insideTheBatch(batch: WriteBatch): void {
  // A service's reader has no run, but a RETURNING write still executes through get.
  batch.db.$client.prepare('insert into vitals (id) values (?) returning id').get('v'); // expect: syncedTable
  // The batch lets through workstation-only tables; only their owner may change them.
  batch.local.update(cachedCredentials).set({ failedCount: 0 }).run(); // expect: workstationTable
  batch.local.delete(outbox).run(); // expect: workstationTable
}

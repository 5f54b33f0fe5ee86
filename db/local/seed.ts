import { seedBatches } from '../seed/rows';
import type { LocalDb } from './open';
import { localSyncedTables } from './synced-tables';

/**
 * Loads the catalog (and with `demo`, the demo hospital) into a replica. Idempotent: rows that
 * exist are left as they are. On a real workstation these rows arrive by pull instead.
 */
export function seedLocalDatabase(db: LocalDb, options: { demo: boolean; now?: Date }): void {
  const batches = seedBatches({ demo: options.demo, now: options.now ?? new Date() });
  db.transaction((tx) => {
    for (const { table, rows } of batches) {
      tx.insert(localSyncedTables[table]).values(rows).onConflictDoNothing().run();
    }
  });
}

import { eq } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { syncState } from '../../db/local/schema';

export type SyncStateRow = typeof syncState.$inferSelect;
type SyncStateChanges = Partial<Omit<SyncStateRow, 'id'>>;

/** The workstation's one sync_state row (id = 1), created empty on first use. */
export function readSyncState(db: Pick<LocalDb, 'select'>): SyncStateRow {
  const row = db.select().from(syncState).where(eq(syncState.id, 1)).get();
  return (
    row ?? {
      id: 1,
      deviceId: null,
      hospitalId: null,
      serverUrl: null,
      pullCursor: null,
      lastPushAt: null,
      lastPullAt: null,
      lastSuccessAt: null,
      lastError: null,
      clockSkewMs: null,
      deviceRevokedAt: null,
    }
  );
}

export function updateSyncState(db: Pick<LocalDb, 'insert'>, changes: SyncStateChanges): void {
  db.insert(syncState)
    .values({ id: 1, ...changes })
    .onConflictDoUpdate({ target: syncState.id, set: changes })
    .run();
}

// At the owner's path: cached_credentials may change here, a synced table may not.
import { eq } from 'drizzle-orm';
import type { LocalDb } from '../../../../../../db/local/open';
import { cachedCredentials, users } from '../../../../../../db/local/schema';

export function clearLocks(db: LocalDb, userId: string): void {
  db.update(cachedCredentials)
    .set({ failedCount: 0, lockedUntil: null })
    .where(eq(cachedCredentials.userId, userId))
    .run();
  db.update(users).set({ failedLoginCount: 0 }).where(eq(users.id, userId)).run(); // expect: syncedTable
}

/**
 * The offline lock: wrong passwords typed on this workstation while the server was out of reach
 * are counted here (cached_credentials), since no server saw them. Sign-in clears the count on
 * success; an administrator's unlock clears it in the same transaction as the server's lock.
 */
import { eq } from 'drizzle-orm';
import { cachedCredentials } from '../../db/local/schema';
import type { WorkstationTableWriter } from '../services/write-path';

export function clearOfflineLock(db: WorkstationTableWriter, userId: string): void {
  db.update(cachedCredentials)
    .set({ failedCount: 0, lockedUntil: null })
    .where(eq(cachedCredentials.userId, userId))
    .run();
}

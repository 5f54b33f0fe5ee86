/**
 * A person's sign-ins on THIS workstation, for the Admin screen's staff drawer. The server's own
 * login_history (every workstation's online attempts) never travels through sync, so the drawer
 * shows what this workstation saw, offline sign-ins included; the server's is read there.
 */
import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { loginHistory } from '../../db/local/schema';
import { IdSchema } from '../../shared/schemas/common';
import type { ReplicaReader } from './replica-reader';

export const LoginHistoryInput = z.object({ userId: IdSchema });

const SHOWN = 50;

export interface LoginHistoryEntry {
  at: string;
  mode: 'online' | 'offline';
  outcome: string;
}

export function loginHistoryOf(db: ReplicaReader, userId: string): LoginHistoryEntry[] {
  return db
    .select({ at: loginHistory.at, mode: loginHistory.mode, outcome: loginHistory.outcome })
    .from(loginHistory)
    .where(eq(loginHistory.userId, userId))
    .orderBy(desc(loginHistory.at), desc(loginHistory.id))
    .limit(SHOWN)
    .all();
}

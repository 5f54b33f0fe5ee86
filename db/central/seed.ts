import argon2 from 'argon2';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { ARGON2ID_COST } from '../../shared/password-hash-cost';
import { DEMO_USERS, demoUserId, SECOND_HOSPITAL_USERS } from '../seed/demo-data';
import { seedBatches } from '../seed/rows';
import { userCredentials } from './schema';
import { centralSyncedTables } from './synced-tables';

/**
 * Loads the catalog (and with `demo`, the demo hospitals NGH and SGH and their users' argon2id
 * password hashes). Idempotent: existing rows, including already-set passwords, are left
 * untouched.
 */
export async function seedCentralDatabase(
  db: NodePgDatabase<Record<string, unknown>>,
  options: { demo: boolean; now?: Date },
): Promise<void> {
  const batches = seedBatches({
    demo: options.demo,
    now: options.now ?? new Date(),
    secondHospital: true,
  });
  const credentials = options.demo
    ? await Promise.all(
        [...DEMO_USERS, ...SECOND_HOSPITAL_USERS].map(async (user) => ({
          userId: demoUserId(user.email),
          passwordHash: await argon2.hash(user.password, {
            type: argon2.argon2id,
            ...ARGON2ID_COST,
          }),
        })),
      )
    : [];
  await db.transaction(async (tx) => {
    for (const { table, rows } of batches) {
      await tx.insert(centralSyncedTables[table]).values(rows).onConflictDoNothing();
    }
    if (credentials.length > 0) {
      await tx.insert(userCredentials).values(credentials).onConflictDoNothing();
    }
  });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openLocalDatabase, type LocalDb } from '../../db/local/open';
import { users } from '../../db/local/schema';
import type { Clock } from '../../main/clock';
import type { WriteContext } from '../../main/services/write-path';
import { fileTokenStore, type DeviceTokenStore } from '../../main/sync/device-token';
import { enrollWorkstation } from '../../main/sync/enroll';
import { SyncEngine } from '../../main/sync/engine';

export interface TestWorkstation {
  name: string;
  dir: string;
  db: LocalDb;
  tokens: DeviceTokenStore;
  engine: SyncEngine;
  /** What a service call made by this person on this workstation runs with. */
  as(email: string): WriteContext;
  sync(): ReturnType<SyncEngine['syncNow']>;
  close(): Promise<void>;
}

const clock: Clock = { now: () => new Date() };

/** A workstation with a real replica file, enrolled against `serverUrl` and synced once. */
export async function enrolledWorkstation(
  name: string,
  serverUrl: string,
  code: string,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<TestWorkstation> {
  const dir = mkdtempSync(join(tmpdir(), `wardline-ws-${name}-`));
  const db = openLocalDatabase(join(dir, 'replica.db'));
  const tokens = fileTokenStore(join(dir, 'device-token'));
  await enrollWorkstation(db, tokens, { serverUrl, code, deviceName: name });
  const engine = new SyncEngine({ db, tokens, ...options });
  const first = await engine.syncNow();
  if (!first.ok) throw new Error(`first sync of ${name} failed: ${first.error ?? ''}`);
  return {
    name,
    dir,
    db,
    tokens,
    engine,
    as(email) {
      const user = db.select().from(users).where(eq(users.email, email)).get();
      if (!user) throw new Error(`${email} is not in ${name}'s replica`);
      return { db, clock, actor: { userId: user.id, hospitalId: user.hospitalId ?? '' } };
    },
    sync: () => engine.syncNow(),
    close: async () => {
      await engine.stop();
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, or } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { openReplicaWithKeyFile } from '../../main/replica';
import { users, visits, vitals } from '../../db/local/schema';
import { demoUserId } from '../../db/seed/demo-data';
import { flagAbnormal } from '../../shared/vital-ranges';
import type { Clock } from '../../main/clock';
import { writeClinical, type WriteContext } from '../../main/services/write-path';
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
  const db = openReplicaWithKeyFile(join(dir, 'replica.db'));
  const tokens = fileTokenStore(join(dir, 'device-token'));
  await enrollWorkstation(db, tokens, {
    serverUrl,
    code,
    deviceName: name,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
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
      // People outside the hospital (the demo's administrators) are known here by name only,
      // without their email, until they sign in on this workstation: found by their demo id.
      const user = db
        .select()
        .from(users)
        .where(or(eq(users.email, email), eq(users.id, demoUserId(email))))
        .get();
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

/**
 * Charts `count` sets of vitals across the admitted visits through the single write path, in
 * one transaction: fault tests need thousands of outbox mutations without thousands of fsyncs.
 */
export function chartManyVitals(context: WriteContext, count: number, notesPrefix: string): void {
  const admitted = context.db.select().from(visits).where(eq(visits.status, 'admitted')).all();
  if (admitted.length === 0) throw new Error('no admitted visit to chart against');
  writeClinical(context, (batch) => {
    for (let i = 0; i < count; i += 1) {
      const visit = admitted[i % admitted.length];
      if (!visit) continue;
      const readings = { heartRate: 60 + (i % 50), respiratoryRate: 12 + (i % 10) };
      batch.insert(
        vitals,
        {
          visitId: visit.id,
          patientId: visit.patientId,
          recordedAt: batch.now,
          temperatureC: null,
          systolic: null,
          diastolic: null,
          spo2: null,
          weightKg: null,
          heightCm: null,
          ...readings,
          bmi: null,
          abnormal: flagAbnormal(readings),
          recordedBy: batch.actor.userId,
          notes: `${notesPrefix} ${i}`,
          enteredInErrorId: null,
        },
        { action: 'vitals.record' },
      );
    }
  });
}

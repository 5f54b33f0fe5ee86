import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, or } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { newSigningKey, type Signer } from '../../main/auth/signing-keys';
import { openReplicaWithKeyFile } from '../../main/replica';
import { users, visits, vitals } from '../../db/local/schema';
import { DEMO_USERS, demoUserId, SECOND_HOSPITAL_USERS } from '../../db/seed/demo-data';
import { flagAbnormal } from '../../shared/vital-ranges';
import type { Clock } from '../../main/clock';
import { writeClinical, type WriteContext } from '../../main/services/write-path';
import { fileTokenStore, type DeviceTokenStore } from '../../main/sync/device-token';
import { enrollWorkstation } from '../../main/sync/enroll';
import { SyncEngine, type SyncEngineOptions } from '../../main/sync/engine';
import { createSyncTransport, TransportError } from '../../main/sync/transport';

export interface TestWorkstation {
  name: string;
  dir: string;
  db: LocalDb;
  tokens: DeviceTokenStore;
  engine: SyncEngine;
  /**
   * What a service call made by this person on this workstation runs with, as if they had
   * signed in online here: the context carries their signing key, which this workstation
   * registers with the server by signing them in (demo password unless `password` is given).
   * The registration runs in the background; this workstation's own requests wait for it.
   */
  as(email: string, password?: string): WriteContext;
  /** The signing key `as(email)` signs with on this workstation. */
  signerOf(email: string): Signer;
  /** Resolves once every person `as` named is registered (before another process syncs). */
  ready(): Promise<void>;
  sync(): ReturnType<SyncEngine['syncNow']>;
  close(): Promise<void>;
}

const clock: Clock = { now: () => new Date() };

/** A workstation with a real replica file, enrolled against `serverUrl` and synced once. */
export async function enrolledWorkstation(
  name: string,
  serverUrl: string,
  code: string,
  options: {
    fetch?: typeof fetch;
    timeoutMs?: number;
    replica?: SyncEngineOptions['replica'];
    now?: () => Date;
    pushBatchSize?: number;
    /**
     * Syncs the first pull may take (each resumes where the last stopped): for a short
     * `timeoutMs` meant for the faults that follow, on a machine loaded enough that a page of
     * the first pull can outlast it.
     */
    firstSyncAttempts?: number;
  } = {},
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
  const signers = new Map<string, Signer>();
  const registrations: Promise<void>[] = [];
  const ready = async () => {
    await Promise.all(registrations);
  };
  const serverFetch = options.fetch ?? fetch;
  const login = createSyncTransport({
    baseUrl: serverUrl,
    deviceToken: () => tokens.read(),
    fetch: serverFetch,
  }).login;
  // Sign-in is how a key gets registered; everything else this workstation sends waits for it.
  const afterRegistrations: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.endsWith('/v1/auth/login')) await ready();
    return serverFetch(input, init);
  };
  const engine = new SyncEngine({ db, tokens, ...options, fetch: afterRegistrations });
  let first = await engine.syncNow();
  for (let attempt = 1; !first.ok && attempt < (options.firstSyncAttempts ?? 1); attempt += 1) {
    first = await engine.syncNow();
  }
  if (!first.ok) throw new Error(`first sync of ${name} failed: ${first.error ?? ''}`);
  // People outside the hospital (the demo's administrators) are known here by name only,
  // without their email, until they sign in on this workstation: found by their demo id.
  const replicaUser = (email: string) => {
    const user = db
      .select()
      .from(users)
      .where(or(eq(users.email, email), eq(users.id, demoUserId(email))))
      .get();
    if (!user) throw new Error(`${email} is not in ${name}'s replica`);
    return user;
  };
  const signerOf = (email: string, password?: string): Signer => {
    const user = replicaUser(email);
    let signer = signers.get(email);
    if (!signer) {
      signer = newSigningKey(user.id).signer;
      signers.set(email, signer);
      const registration = registerKey(login, email, password ?? demoPassword(email), signer);
      // Awaited by ready(); a failure surfaces there, not as an unhandled rejection.
      registration.catch(() => undefined);
      registrations.push(registration);
    }
    return signer;
  };
  return {
    name,
    dir,
    db,
    tokens,
    engine,
    as(email, password) {
      const signer = signerOf(email, password);
      return {
        db,
        clock,
        actor: { userId: signer.userId, hospitalId: replicaUser(email).hospitalId ?? '', signer },
      };
    },
    signerOf: (email) => signerOf(email),
    ready,
    sync: () => engine.syncNow(),
    close: async () => {
      await engine.stop();
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function demoPassword(email: string): string {
  const user = [...DEMO_USERS, ...SECOND_HOSPITAL_USERS].find(
    (candidate) => candidate.email === email,
  );
  if (!user) throw new Error(`${email} is not a demo user: pass as(email, password)`);
  return user.password;
}

/** A real sign-in carrying the key; a network that drops it (the fault proxy) is tried again. */
async function registerKey(
  login: ReturnType<typeof createSyncTransport>['login'],
  email: string,
  password: string,
  signer: Signer,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await login(email, password, signer.publicKey);
      return;
    } catch (error) {
      if (!(error instanceof TransportError) || error.kind !== 'unreachable' || attempt >= 20)
        throw error;
    }
  }
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

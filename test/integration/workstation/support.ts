import { and, asc, count, notInArray, sql } from 'drizzle-orm';
import { seedLocalDatabase } from '../../../db/local/seed';
import { auditLogs, outbox, syncState } from '../../../db/local/schema';
import { DEMO_HOSPITAL_ID, DEMO_USERS, demoUserId } from '../../../db/seed/demo-data';
import { LIST_READ_ACTIONS } from '../../../main/api/access-audit';
import { createAppCaller } from '../../../main/api/router';
import { newSigningKey } from '../../../main/auth/signing-keys';
import { createManualClock } from '../../../main/clock';
import { addReservedMrns } from '../../../main/services/mrn-pool';
import type { WorkstationSettings } from '../../../main/settings';
import { createWorkstation, type Workstation } from '../../../main/workstation';
import { AuditContextSchema } from '../../../shared/protocol';
import type { ReauthAction } from '../../../shared/reauth';
import type { Role } from '../../../shared/roles';
import { createDemoServerAuth, type DemoServerAuth } from '../../harness/demo-server-auth';
import { createTestReplica, type TestReplica } from '../../support/sqlite';

export const START = new Date('2026-11-23T08:00:00.000Z');

export interface TestWorkstation {
  replica: TestReplica;
  workstation: Workstation;
  clock: ReturnType<typeof createManualClock>;
  serverAuth: DemoServerAuth;
  caller: ReturnType<typeof createAppCaller>;
  /** Starts a session as the demo user of `role` without a password round trip. */
  signInAs(role: Role): void;
  /** The signed-in demo user's password again, for one call of `action` (main/auth/reauth.ts). */
  reauthProof(action: ReauthAction): Promise<string>;
  close(): void;
}

/** A real migrated SQLite file with the demo hospital, a frozen clock and the demo server double. */
export function createTestWorkstation(
  settings: Partial<WorkstationSettings> = {},
): TestWorkstation {
  const replica = createTestReplica();
  const clock = createManualClock(START);
  seedLocalDatabase(replica.db, { demo: true, now: START });
  addReservedMrns(replica.db, ['NGH-T00001', 'NGH-T00002', 'NGH-T00003']);
  replica.db.insert(syncState).values({ id: 1, hospitalId: DEMO_HOSPITAL_ID }).run();
  const serverAuth = createDemoServerAuth();
  const workstation = createWorkstation({ db: replica.db, clock, serverAuth, settings });
  return {
    replica,
    workstation,
    clock,
    serverAuth,
    caller: createAppCaller(workstation),
    signInAs(role) {
      const user = DEMO_USERS.find((candidate) => candidate.role === role);
      if (!user) throw new Error(`no demo user for ${role}`);
      const id = demoUserId(user.email);
      workstation.sessions.start(
        { id, email: user.email, fullName: user.fullName, role, hospitalId: null },
        'online',
        newSigningKey(id).signer,
      );
    },
    async reauthProof(action) {
      const holder = workstation.sessions.holder();
      const user = DEMO_USERS.find((candidate) => candidate.email === holder?.email);
      if (!user) throw new Error('reauthProof: nobody is signed in');
      const answer = await workstation.reauth.confirm(workstation, {
        action,
        password: user.password,
      });
      return answer.proof;
    },
    close: () => {
      replica.close();
    },
  };
}

/**
 * How many outbox mutations and audit events of things done (changes, chart reads) the replica
 * holds: a refused write adds neither. It adds one event of outcome `refused` instead (issue 15),
 * which `refusalEvents` reads; re-authentications and list reads (board, search, pharmacy list, lab queue) are left out
 * here, since a screen's reads between two writes are not what these counts are about.
 */
export function writeTrail(ws: TestWorkstation) {
  const db = ws.replica.db;
  return {
    outbox: db.select({ n: count() }).from(outbox).get()?.n ?? 0,
    audit:
      db
        .select({ n: count() })
        .from(auditLogs)
        .where(
          and(
            sql`json_extract(${auditLogs.after}, '$.outcome') = 'done'`,
            // Typing the password again before a change is not the change.
            notInArray(auditLogs.action, [...LIST_READ_ACTIONS, 'auth.reauth']),
          ),
        )
        .get()?.n ?? 0,
  };
}

/** The refused or failed events of the replica's trail, oldest first, as action and code. */
export function refusalEvents(ws: TestWorkstation) {
  return ws.replica.db
    .select({ action: auditLogs.action, after: auditLogs.after })
    .from(auditLogs)
    .where(sql`json_extract(${auditLogs.after}, '$.outcome') in ('refused', 'failed')`)
    .orderBy(asc(auditLogs.deviceSeq))
    .all()
    .map((event) => {
      const context = AuditContextSchema.parse(event.after);
      return { action: event.action, outcome: context.outcome, code: context.details?.code };
    });
}

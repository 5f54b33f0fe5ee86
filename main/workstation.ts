/**
 * Everything a request of the main process runs against: the replica, the clock, the settings,
 * the server's sign-in and the workstation's one session. Built once at start; it is also the
 * tRPC context (api/trpc.ts).
 */
import type { LocalDb } from '../db/local/open';
import { ReauthKeeper } from './auth/reauth';
import { SessionKeeper } from './auth/session';
import { unreachableServerAuth, type ServerAuth } from './auth/server-auth';
import { unreachableServerPasswords, type ServerPasswords } from './auth/server-passwords';
import { systemClock, type Clock } from './clock';
import { DEFAULT_SETTINGS, WorkstationSettingsSchema, type WorkstationSettings } from './settings';
import type { SyncEngine } from './sync/engine';
import type { EnrollmentSetup } from './sync/enroll';

export interface Workstation {
  db: LocalDb;
  clock: Clock;
  settings: WorkstationSettings;
  serverAuth: ServerAuth;
  /** Password change and reset on the server (docs/SYNC.md "Passwords"). */
  serverPasswords: ServerPasswords;
  sessions: SessionKeeper;
  /** Proofs of a password typed again before a sensitive action (main/auth/reauth.ts). */
  reauth: ReauthKeeper;
  /** The sync engine; null on a workstation with no server configured (and in unit tests). */
  sync: SyncEngine | null;
  /** What the first-start screen needs to enroll; null where nothing enrolls (demo, unit tests). */
  enrollment: EnrollmentSetup | null;
  /** IT's rescue public key file from the machine config (main/sync/rescue-export.ts); or null. */
  rescueKeyFile: string | null;
}

export function createWorkstation(options: {
  db: LocalDb;
  clock?: Clock;
  settings?: Partial<WorkstationSettings>;
  serverAuth?: ServerAuth;
  serverPasswords?: ServerPasswords;
  sync?: SyncEngine | null;
  enrollment?: EnrollmentSetup | null;
  rescueKeyFile?: string | null;
}): Workstation {
  const clock = options.clock ?? systemClock;
  // Parsed, not merged: a setting above its limit (the idle lock) is refused here too.
  const settings = WorkstationSettingsSchema.parse({ ...DEFAULT_SETTINGS, ...options.settings });
  return {
    db: options.db,
    clock,
    settings,
    serverAuth: options.serverAuth ?? unreachableServerAuth,
    serverPasswords: options.serverPasswords ?? unreachableServerPasswords,
    sessions: new SessionKeeper(options.db, clock, settings),
    reauth: new ReauthKeeper(),
    sync: options.sync ?? null,
    enrollment: options.enrollment ?? null,
    rescueKeyFile: options.rescueKeyFile ?? null,
  };
}

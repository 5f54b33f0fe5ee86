/**
 * The one session of a shared workstation. It locks itself after idle minutes; unlocking by the
 * same person resumes it, a different person ends it and starts their own (sign-in.ts), so the
 * renderer sees a new session id and drops everything it showed the previous user.
 */
import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { LocalDb } from '../../db/local/open';
import { sessions } from '../../db/local/schema';
import type { Role } from '../../shared/roles';
import type { Clock } from '../clock';
import { refuse } from '../errors';
import { MAX_IDLE_LOCK_MINUTES, MAX_SESSION_HOURS, type WorkstationSettings } from '../settings';
import type { Signer } from './signer';

export interface SessionUser {
  id: string;
  email: string;
  fullName: string;
  role: Role;
  hospitalId: string | null;
}

export type SignInMode = 'online' | 'offline';

export interface ActiveSession {
  id: string;
  user: SessionUser;
  mode: SignInMode;
  /**
   * The person's unsealed signing key: in memory for this session only, kept while it is
   * locked, dropped when it ends. Null for a person who has no key on this workstation yet (an
   * upgrade from protocol 1, signed in offline): their changes wait for their next online
   * sign-in (main/sync/waiting-signatures.ts).
   */
  signer: Signer | null;
  startedAt: string;
  lastActivityAt: number;
  lockedAt: number | null;
}

export type SessionStatus =
  | { state: 'signed_out'; sessionExpired: boolean }
  | { state: 'locked'; sessionId: string; lockedUser: { id: string; fullName: string } }
  | { state: 'active'; sessionId: string; user: SessionUser; mode: SignInMode; locksAt: string };

const MAX_SESSION_MS = MAX_SESSION_HOURS * 3_600_000;

export class SessionKeeper {
  private current: ActiveSession | null = null;
  /** The last session ended at its 12 hours, not by a person: the sign-in screen says so. */
  private expired = false;

  constructor(
    private readonly db: LocalDb,
    private readonly clock: Clock,
    private readonly settings: WorkstationSettings,
  ) {}

  status(): SessionStatus {
    const session = this.applyIdleLock();
    if (!session) return { state: 'signed_out', sessionExpired: this.expired };
    if (session.lockedAt !== null) {
      return {
        state: 'locked',
        sessionId: session.id,
        lockedUser: { id: session.user.id, fullName: session.user.fullName },
      };
    }
    return {
      state: 'active',
      sessionId: session.id,
      user: session.user,
      mode: session.mode,
      locksAt: new Date(session.lastActivityAt + this.idleMs()).toISOString(),
    };
  }

  /** The session a protected call runs as; the call itself counts as activity. */
  /**
   * The active session, or a refusal. Only what a person does counts as activity: the screens
   * poll (sync badge, ward board), and a poll must not keep an unattended workstation unlocked.
   */
  requireActive(options: { personActed: boolean }): ActiveSession {
    const session = this.applyIdleLock();
    if (!session && this.expired)
      refuse(
        'session_expired',
        `Your session ended ${MAX_SESSION_HOURS} hours after you signed in. Please sign in again.`,
        'unauthorized',
      );
    if (!session) refuse('not_signed_in', 'Please sign in to continue.', 'unauthorized');
    if (session.lockedAt !== null)
      refuse('session_locked', 'This workstation is locked. Sign in to unlock it.', 'unauthorized');
    if (options.personActed) this.touch(session);
    return session;
  }

  reportActivity(): void {
    const session = this.applyIdleLock();
    if (session && session.lockedAt === null) this.touch(session);
  }

  /** Whoever holds the session, locked or not: the person an event of the workstation names. */
  holder(): SessionUser | null {
    return this.applyIdleLock()?.user ?? null;
  }

  /** The signing key of whoever holds the session, locked or not (their key stays while locked). */
  signer(): Signer | null {
    return this.current?.signer ?? null;
  }

  /** After a password change: the session signs with the key sealed under the new password. */
  replaceSigner(signer: Signer): void {
    const session = this.current;
    if (session?.user.id !== signer.userId)
      refuse('not_signed_in', 'Please sign in to continue.', 'unauthorized');
    session.signer = signer;
  }

  /** The locked session's user, if any: unlocking as them resumes rather than restarts. */
  lockedUserId(): string | null {
    const session = this.applyIdleLock();
    return session?.lockedAt !== null ? (session?.user.id ?? null) : null;
  }

  start(user: SessionUser, mode: SignInMode, signer: Signer | null): ActiveSession {
    if (this.current)
      this.end(this.current.user.id === user.id ? 'signed_in_again' : 'user_switched');
    this.expired = false;
    const now = this.clock.now();
    const session: ActiveSession = {
      id: uuidv7(),
      user,
      mode,
      signer,
      startedAt: now.toISOString(),
      lastActivityAt: now.getTime(),
      lockedAt: null,
    };
    this.db
      .insert(sessions)
      .values({
        id: session.id,
        userId: user.id,
        mode,
        startedAt: session.startedAt,
        lastActivityAt: session.startedAt,
      })
      .run();
    this.current = session;
    return session;
  }

  /** Unlocking keeps the session's key; an online unlock of a person who had none brings one. */
  resume(userId: string, signer: Signer | null): ActiveSession {
    const session = this.current;
    if (session?.user.id !== userId)
      refuse('not_signed_in', 'Please sign in to continue.', 'unauthorized');
    session.signer = signer ?? session.signer;
    session.lockedAt = null;
    this.touch(session);
    this.db.update(sessions).set({ lockedAt: null }).where(eq(sessions.id, session.id)).run();
    return session;
  }

  lock(): void {
    const session = this.applyIdleLock();
    if (!session || session.lockedAt !== null) return;
    this.markLocked(session, this.clock.now().getTime());
  }

  end(reason: string): void {
    const session = this.current;
    if (!session) return;
    this.db
      .update(sessions)
      .set({
        endedAt: this.clock.now().toISOString(),
        endReason: reason,
        lastActivityAt: new Date(session.lastActivityAt).toISOString(),
      })
      .where(eq(sessions.id, session.id))
      .run();
    // The unsealed key goes with the session: nothing refers to it any more.
    session.signer = null;
    this.current = null;
  }

  private idleMs(): number {
    // The settings were checked against the limit when read; this holds whatever built them.
    return Math.min(this.settings.idleLockMinutes, MAX_IDLE_LOCK_MINUTES) * 60_000;
  }

  /** Ends a session 12 hours after its sign-in, then applies the idle lock to one still going. */
  private applyIdleLock(): ActiveSession | null {
    const session = this.current;
    if (!session) return null;
    if (this.clock.now().getTime() >= Date.parse(session.startedAt) + MAX_SESSION_MS) {
      this.end('expired');
      this.expired = true;
      return null;
    }
    if (session.lockedAt !== null) return session;
    const idleSince = session.lastActivityAt + this.idleMs();
    if (this.clock.now().getTime() >= idleSince) this.markLocked(session, idleSince);
    return session;
  }

  private markLocked(session: ActiveSession, at: number): void {
    session.lockedAt = at;
    this.db
      .update(sessions)
      .set({
        lockedAt: new Date(at).toISOString(),
        lastActivityAt: new Date(session.lastActivityAt).toISOString(),
      })
      .where(eq(sessions.id, session.id))
      .run();
  }

  // Kept in memory only: a durable write per click would cost every read an fsync. The row gets
  // lastActivityAt when the session locks or ends.
  private touch(session: ActiveSession): void {
    session.lastActivityAt = this.clock.now().getTime();
  }
}

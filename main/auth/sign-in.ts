/**
 * Sign-in on a shared workstation: the server decides when it can be reached; otherwise a
 * password cached by an earlier online sign-in on THIS workstation decides, for a limited
 * number of days. Repeated failures lock the account here, since offline no server counts them.
 */
import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { LocalDb } from '../../db/local/open';
import { cachedCredentials, hospitals, loginHistory, roles, users } from '../../db/local/schema';
import type { Clock } from '../clock';
import { refuse } from '../errors';
import { appendAuditEvent } from '../services/audit';
import { keepSignedInUser } from '../sync/signed-in-user';
import { readSyncState } from '../sync/sync-state';
import type { WorkstationSettings } from '../settings';
import type { ServerAuth, ServerUser } from './server-auth';
import type { ActiveSession, SessionKeeper, SessionUser, SignInMode } from './session';
import { clearOfflineLock } from './offline-lock';
import {
  currentSigningKey,
  keepSigningKey,
  signingKeyToRegister,
  unsealSigningKey,
  type Signer,
} from './signing-keys';
import { checkVerifier, hashVerifier, verifierNeedsRehash } from './verifier';

export interface SignInDeps {
  db: LocalDb;
  clock: Clock;
  settings: WorkstationSettings;
  serverAuth: ServerAuth;
  sessions: SessionKeeper;
}

export interface Credentials {
  email: string;
  password: string;
}

const DAY_MS = 86_400_000;

/**
 * Signs in, or unlocks: the locked session's own user resumes it, anyone else starts afresh.
 * `credentialVersion`: what the server answered a password change just made (see rememberUser).
 */
export async function signIn(
  deps: SignInDeps,
  credentials: Credentials,
  credentialVersion?: number,
): Promise<ActiveSession> {
  const email = credentials.email.trim().toLowerCase();
  const { user, mode, signer } = await authenticate(
    deps,
    email,
    credentials.password,
    credentialVersion,
  );
  const lockedUserId = deps.sessions.lockedUserId();
  const session =
    lockedUserId === user.id
      ? deps.sessions.resume(user.id, signer)
      : deps.sessions.start(user, mode, signer);
  // The sign-in itself is in login_history (the staff list's last sign-in on this workstation)
  // and in the audit chain, which carries offline sign-ins to the server.
  appendAuditEvent(
    deps.db,
    {
      action: lockedUserId === user.id ? 'auth.unlock' : 'auth.sign_in',
      entity: 'sessions',
      entityId: session.id,
      userId: user.id,
      role: user.role,
      at: deps.clock.now().toISOString(),
      details: { mode },
    },
    session.signer,
  );
  return session;
}

interface Authenticated {
  user: SessionUser;
  mode: SignInMode;
  signer: Signer | null;
}

async function authenticate(
  deps: SignInDeps,
  email: string,
  password: string,
  credentialVersion: number | undefined,
): Promise<Authenticated> {
  const now = deps.clock.now();
  const cached = deps.db
    .select()
    .from(cachedCredentials)
    .where(eq(cachedCredentials.email, email))
    .get();
  if (cached?.lockedUntil && Date.parse(cached.lockedUntil) > now.getTime()) {
    record(deps, email, cached.userId, 'offline', 'locked');
    refuse('account_locked', lockedMessage(cached.lockedUntil), 'locked');
  }
  const key = await signingKeyToRegister(deps.db, cached?.userId ?? null, password);
  const online = await deps.serverAuth.login(email, password, key.signer.publicKey);
  switch (online.status) {
    case 'ok': {
      const user = await rememberUser(deps, online.user, password, credentialVersion);
      const signer = await keepSigningKey(deps.db, user.id, key, password, deps.clock.now());
      record(deps, email, user.id, 'online', 'success');
      return { user, mode: 'online', signer };
    }
    case 'wrong_credentials':
      // A revoked workstation's token is refused before any password is looked at (SYNC-PROTOCOL:
      // "a revoked token gets 401"), so the server judged nothing: the password is checked here,
      // as offline. Without this nobody could sign in on it to rescue its unsent changes.
      if (readSyncState(deps.db).deviceRevokedAt !== null)
        return authenticateOffline(deps, email, password);
      countFailure(deps, email);
      record(deps, email, cached?.userId ?? null, 'online', 'wrong_credentials');
      return refuse('wrong_credentials', 'The email or password is not right.', 'unauthorized');
    case 'locked':
      record(deps, email, cached?.userId ?? null, 'online', 'locked');
      return refuse(
        'account_locked',
        'This account is locked after too many attempts. Try again later or ask an administrator.',
        'locked',
      );
    case 'forbidden':
      record(deps, email, cached?.userId ?? null, 'online', 'forbidden');
      return refuse('forbidden', 'This account cannot sign in at this hospital.', 'forbidden');
    case 'change_required':
      // The renderer shows the change form next (main/auth/password-change.ts).
      record(deps, email, cached?.userId ?? null, 'online', 'change_required');
      return refuse(
        'password_change_required',
        'An administrator reset this password. Choose a new password to sign in.',
        'forbidden',
      );
    case 'temporary_expired':
      record(deps, email, cached?.userId ?? null, 'online', 'temporary_expired');
      return refuse(
        'temporary_password_expired',
        'This temporary password has expired. Ask an administrator to reset the password again.',
        'forbidden',
      );
    case 'unreachable':
      return authenticateOffline(deps, email, password);
  }
}

async function authenticateOffline(
  deps: SignInDeps,
  email: string,
  password: string,
): Promise<Authenticated> {
  const now = deps.clock.now();
  const cached = deps.db
    .select()
    .from(cachedCredentials)
    .where(eq(cachedCredentials.email, email))
    .get();
  if (!cached) {
    record(deps, email, null, 'offline', 'not_cached');
    return refuse(
      'offline_not_cached',
      'The server cannot be reached and this account has not signed in on this workstation before. ' +
        'Use a workstation you have signed in on recently, or wait for the network.',
      'unauthorized',
    );
  }
  if (Date.parse(cached.expiresAt) <= now.getTime()) {
    record(deps, email, cached.userId, 'offline', 'expired');
    return refuse(
      'offline_login_expired',
      `The server cannot be reached and your offline sign-in on this workstation expired (it lasts ${deps.settings.offlineLoginDays} days after an online sign-in).`,
      'unauthorized',
    );
  }
  const user = deps.db.select().from(users).where(eq(users.id, cached.userId)).get();
  if (user && user.credentialVersion > cached.credentialVersion) {
    // The password was changed or reset since this verifier was made (the pulled users row says
    // so): the old password must not open this workstation any more.
    deps.db.delete(cachedCredentials).where(eq(cachedCredentials.userId, cached.userId)).run();
    record(deps, email, cached.userId, 'offline', 'password_changed');
    return refuse(
      'offline_password_changed',
      'Your password was changed or reset since you last signed in on this workstation. Sign in when the server can be reached.',
      'unauthorized',
    );
  }
  if (!(await checkVerifier(cached.verifier, password))) {
    countFailure(deps, email);
    record(deps, email, cached.userId, 'offline', 'wrong_password');
    return refuse(
      'wrong_password',
      'The password is not right. The server is offline, so the password you last used on this workstation is needed.',
      'unauthorized',
    );
  }
  if (!user?.active || user.deletedAt !== null) {
    record(deps, email, cached.userId, 'offline', 'inactive');
    return refuse('account_inactive', 'This account is no longer active.', 'forbidden');
  }
  clearOfflineLock(deps.db, cached.userId);
  if (verifierNeedsRehash(cached.verifier)) {
    // Cached by an older build at a lower cost: the password is at hand only now.
    const verifier = await hashVerifier(password);
    deps.db
      .update(cachedCredentials)
      .set({ verifier })
      .where(eq(cachedCredentials.userId, cached.userId))
      .run();
  }
  record(deps, email, user.id, 'offline', 'success');
  // No key yet (a workstation upgraded from protocol 1): the person works, and their changes
  // wait for their next online sign-in, which makes and registers one.
  const stored = currentSigningKey(deps.db, user.id);
  const key = stored ? await unsealSigningKey(stored, password) : null;
  return {
    user: {
      id: user.id,
      email: user.email,
      fullName: user.fullName,
      role: user.role,
      hospitalId: user.hospitalId,
    },
    mode: 'offline',
    signer: key?.signer ?? null,
  };
}

/**
 * Keeps the server's word on who this is, and a verifier for offline sign-in, made for
 * `credentialVersion` (default: the version this replica's users row has pulled so far).
 */
export async function rememberUser(
  deps: SignInDeps,
  user: ServerUser,
  password: string,
  credentialVersion?: number,
): Promise<SessionUser> {
  // Roles are reference data that arrive with the first pull; a user row cannot name one before.
  if (!deps.db.select({ id: roles.id }).from(roles).where(eq(roles.name, user.role)).get()) {
    refuse(
      'first_sync_pending',
      "This workstation has not finished fetching the hospital's data yet. Sign-in opens as soon as the first sync is complete.",
    );
  }
  const now = deps.clock.now();
  const verifier = await hashVerifier(password);
  // The user row normally arrives by pull; before the first pull the hospital may be unknown here.
  const hospitalKnown =
    user.hospitalId !== null &&
    deps.db
      .select({ id: hospitals.id })
      .from(hospitals)
      .where(eq(hospitals.id, user.hospitalId))
      .get() !== undefined;
  const hospitalId = hospitalKnown ? user.hospitalId : null;
  const email = user.email.trim().toLowerCase();
  const known = deps.db
    .select({ credentialVersion: users.credentialVersion })
    .from(users)
    .where(eq(users.id, user.id))
    .get();
  deps.db.transaction((tx) => {
    keepSignedInUser(tx, {
      id: user.id,
      hospitalId,
      email,
      fullName: user.fullName,
      role: user.role,
    });
    const row = {
      email,
      verifier,
      cachedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + deps.settings.offlineLoginDays * DAY_MS).toISOString(),
      failedCount: 0,
      lockedUntil: null,
      credentialVersion: credentialVersion ?? known?.credentialVersion ?? 0,
    };
    tx.delete(cachedCredentials).where(eq(cachedCredentials.email, email)).run();
    tx.insert(cachedCredentials)
      .values({ userId: user.id, ...row })
      .onConflictDoUpdate({ target: cachedCredentials.userId, set: row })
      .run();
  });
  return {
    id: user.id,
    email,
    fullName: user.fullName,
    role: user.role,
    hospitalId: user.hospitalId,
  };
}

/**
 * This workstation no longer lets `userId` in offline: their password was reset here. Until
 * their next online sign-in the server alone decides.
 */
export function forgetVerifier(db: LocalDb, userId: string): void {
  db.delete(cachedCredentials).where(eq(cachedCredentials.userId, userId)).run();
}

function countFailure(deps: SignInDeps, email: string): void {
  const cached = deps.db
    .select()
    .from(cachedCredentials)
    .where(eq(cachedCredentials.email, email))
    .get();
  if (!cached) return;
  const failedCount = cached.failedCount + 1;
  const lockedUntil =
    failedCount >= deps.settings.maxFailedLogins
      ? new Date(deps.clock.now().getTime() + deps.settings.lockoutMinutes * 60_000).toISOString()
      : null;
  deps.db
    .update(cachedCredentials)
    .set({ failedCount: lockedUntil ? 0 : failedCount, lockedUntil })
    .where(eq(cachedCredentials.userId, cached.userId))
    .run();
}

function lockedMessage(until: string): string {
  const time = new Date(until).toISOString().slice(11, 16);
  return `This account is locked on this workstation after too many wrong passwords. Try again after ${time} UTC.`;
}

function record(
  deps: SignInDeps,
  email: string,
  userId: string | null,
  mode: SignInMode,
  outcome: string,
): void {
  const at = deps.clock.now().toISOString();
  deps.db.insert(loginHistory).values({ id: uuidv7(), userId, email, at, mode, outcome }).run();
  if (outcome === 'success') return;
  // A failed sign-in is a security event (issue 15): it joins the audit chain, which carries it
  // to the server, online or offline. It names the account when this workstation knows it, and
  // never the email typed, which may be anyone's. Unsigned: nobody proved who they are.
  const role = userId
    ? (deps.db.select({ role: users.role }).from(users).where(eq(users.id, userId)).get()?.role ??
      null)
    : null;
  deps.db.transaction(() => {
    appendAuditEvent(deps.db, {
      action: 'auth.sign_in',
      entity: 'sessions',
      entityId: null,
      outcome: 'refused',
      userId,
      role,
      at,
      details: { mode, reason: outcome },
    });
  });
}

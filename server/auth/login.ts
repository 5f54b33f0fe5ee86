import type pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { TEMPORARY_PASSWORD_VALID_HOURS } from '../../shared/passwords';
import { isPermission } from '../../shared/permissions';
import type { LoginResponse } from '../../shared/protocol';
import { effectivePermissions, type Role } from '../../shared/roles';
import { registerSigningKey } from '../authorship/signing-keys';
import type { AuthenticatedDevice } from '../devices/enrollment';
import { ApiError } from '../http/errors';
import { countAttempt, type AttemptLimit } from './attempt-limits';
import {
  readSignInLock,
  recordSignInFailure,
  recordSignInSuccess,
  type SignInLock,
} from './lockout';
import { hashPassword, needsRehash, verifyDecoy, verifyPassword } from './password-hash';

const WRONG_CREDENTIALS = 'The email or password is not correct.';

interface StaffRow {
  id: string;
  email: string;
  full_name: string;
  hospital_id: string | null;
  role: Role;
  active: boolean;
  deleted: boolean;
  password_hash: string | null;
  must_change_password: boolean;
  password_changed_at: Date | null;
}

async function recordAttempt(
  pool: pg.Pool,
  attempt: { userId: string | null; email: string; deviceId: string; now: Date; outcome: string },
) {
  await pool.query(
    'insert into login_history (id, user_id, email, device_id, at, outcome) values ($1, $2, $3, $4, $5, $6)',
    [
      uuidv7(),
      attempt.userId,
      attempt.email,
      attempt.deviceId,
      attempt.now.toISOString(),
      attempt.outcome,
    ],
  );
}

async function permissionsOf(pool: pg.Pool, user: StaffRow, now: Date): Promise<string[]> {
  const grants = await pool.query<{ key: string; expires_at: string | null }>(
    `select p.key, to_char(g.expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as expires_at
       from user_permissions g join permissions p on p.id = g.permission_id
      where g.user_id = $1 and g.deleted_at is null`,
    [user.id],
  );
  const direct = grants.rows.flatMap((grant) =>
    isPermission(grant.key) ? [{ permission: grant.key, expiresAt: grant.expires_at }] : [],
  );
  return [...effectivePermissions(user.role, direct, now)].sort();
}

/** The same answer for a locked account and a locked unknown email: nothing tells them apart. */
function lockedError(
  lock: Extract<SignInLock, { locked: true }>,
  userId: string | null,
  now: Date,
): ApiError {
  const log = { userId, outcome: 'locked' };
  if (lock.until === null) {
    return new ApiError(
      401,
      'account_locked',
      'This account is locked after repeated failed sign-ins. An administrator must unlock it.',
      { log },
    );
  }
  const minutes = Math.max(1, Math.ceil((lock.until.getTime() - now.getTime()) / 60_000));
  return new ApiError(
    401,
    'account_locked',
    `This account is locked after repeated failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'} or ask an administrator.`,
    { log },
  );
}

async function findStaff(pool: pg.Pool, email: string): Promise<StaffRow | undefined> {
  const found = await pool.query<StaffRow>(
    `select u.id, u.email, u.full_name, u.hospital_id, u.role, u.active,
            u.deleted_at is not null as deleted, c.password_hash,
            coalesce(c.must_change_password, false) as must_change_password, c.password_changed_at
       from users u left join user_credentials c on c.user_id = u.id
      where lower(u.email) = $1`,
    [email],
  );
  return found.rows[0];
}

/** Who is signing in, from which device, with what: what every password check starts from. */
export interface PasswordAttempt {
  email: string;
  password: string;
  device: AuthenticatedDevice;
  now: Date;
  perDevice: AttemptLimit;
}

type Recorder = (outcome: string) => Promise<void>;

/** A reset's password never used within its hours: it proves the person, but opens nothing. */
function temporaryPasswordExpired(setAt: Date | null, now: Date): boolean {
  return (
    setAt === null || now.getTime() - setAt.getTime() > TEMPORARY_PASSWORD_VALID_HOURS * 3_600_000
  );
}

/**
 * The account `attempt.password` proves, for the device's hospital, or the refusal: limited per
 * device (429) and per account (progressive lockout, ./lockout.ts); an unknown email answered
 * exactly as a wrong password (same status, body and argon2 work), and locked the same way.
 * Every refusal is written to login_history; `record` writes the outcome of what follows.
 */
export async function provePassword(
  pool: pg.Pool,
  attempt: PasswordAttempt,
): Promise<{ user: StaffRow; hash: string; record: Recorder }> {
  const { now, device } = attempt;
  const email = attempt.email.trim().toLowerCase();
  await countAttempt(pool, `sign-in device ${device.id}`, attempt.perDevice, now);
  const user = await findStaff(pool, email);
  const base = { userId: user?.id ?? null, email, deviceId: device.id, now };
  const record: Recorder = (outcome) => recordAttempt(pool, { ...base, outcome });
  const lock = await readSignInLock(pool, email, now);
  if (lock.locked) {
    await record('locked');
    throw lockedError(lock, base.userId, now);
  }
  const hash = user && !user.deleted && user.active ? user.password_hash : null;
  const verified =
    hash === null
      ? await verifyDecoy(attempt.password).then(() => false)
      : await verifyPassword(hash, attempt.password);
  if (!user || hash === null || !verified) {
    const failed = await recordSignInFailure(pool, { email, userId: user?.id ?? null, now });
    const outcome = !user ? 'unknown_email' : hash === null ? 'inactive' : 'wrong_password';
    await record(failed.locked ? `${outcome}_locked` : outcome);
    throw new ApiError(401, 'unauthorized', WRONG_CREDENTIALS, {
      log: { userId: base.userId, outcome },
    });
  }
  if (user.hospital_id !== null && user.hospital_id !== device.hospitalId) {
    await record('other_hospital');
    throw new ApiError(
      403,
      'forbidden',
      'This account belongs to another hospital than this workstation.',
      { log: { userId: user.id, outcome: 'other_hospital' } },
    );
  }
  if (user.must_change_password && temporaryPasswordExpired(user.password_changed_at, now)) {
    await record('temporary_password_expired');
    throw new ApiError(
      403,
      'temporary_password_expired',
      `This temporary password has expired: an administrator's reset is valid for ${String(TEMPORARY_PASSWORD_VALID_HOURS / 24)} days. Ask an administrator to reset the password again.`,
      { log: { userId: user.id, outcome: 'temporary_password_expired' } },
    );
  }
  return { user, hash, record };
}

/**
 * Staff sign-in from an enrolled device (SYNC-PROTOCOL.md, `POST /v1/auth/login`), checked by
 * {@link provePassword}. A temporary password from an administrator's reset signs in to nothing:
 * the answer is 403 `password_change_required` (a Wardline extension, docs/SYNC.md), no key is
 * registered, and the workstation asks for a new password (POST /v1/auth/password).
 */
export async function loginStaff(
  pool: pg.Pool,
  options: PasswordAttempt & {
    /** Protocol 2: the person's public key on this device, registered once they are proven. */
    signingKey?: string | undefined;
  },
): Promise<LoginResponse> {
  const { now, device } = options;
  const email = options.email.trim().toLowerCase();
  const { user, hash, record } = await provePassword(pool, options);
  if (user.must_change_password) {
    await record('password_change_required');
    throw new ApiError(
      403,
      'password_change_required',
      'This password was reset by an administrator: choose a new password to sign in.',
      { log: { userId: user.id, outcome: 'password_change_required' } },
    );
  }
  if (needsRehash(hash)) {
    // Made at an older cost: the password is at hand only now, so the hash is renewed now.
    await pool.query('update user_credentials set password_hash = $2 where user_id = $1', [
      user.id,
      await hashPassword(options.password),
    ]);
  }
  await recordSignInSuccess(pool, { email, userId: user.id, now });
  await record('success');
  // Only now, with the password checked for this device's hospital: a key registered here lets
  // whoever holds it act as this person from this device.
  if (options.signingKey !== undefined)
    await registerSigningKey(pool, {
      deviceId: device.id,
      userId: user.id,
      publicKey: options.signingKey,
      now,
    });
  return {
    user: {
      id: user.id,
      email: user.email,
      fullName: user.full_name,
      hospitalId: user.hospital_id,
      roles: [user.role],
      permissions: await permissionsOf(pool, user, now),
    },
  };
}

import type pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
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
            u.deleted_at is not null as deleted, c.password_hash
       from users u left join user_credentials c on c.user_id = u.id
      where lower(u.email) = $1`,
    [email],
  );
  return found.rows[0];
}

/**
 * Staff sign-in from an enrolled device (SYNC-PROTOCOL.md, `POST /v1/auth/login`). Attempts are
 * limited per device (429) and wrong passwords per account (progressive lockout, ./lockout.ts);
 * an unknown email is answered exactly as a wrong password (same status, body and argon2 work),
 * and is locked the same way. Every attempt is written to login_history.
 */
export async function loginStaff(
  pool: pg.Pool,
  options: {
    email: string;
    password: string;
    /** Protocol 2: the person's public key on this device, registered once they are proven. */
    signingKey?: string | undefined;
    device: AuthenticatedDevice;
    now: Date;
    perDevice: AttemptLimit;
  },
): Promise<LoginResponse> {
  const { now, device } = options;
  const email = options.email.trim().toLowerCase();
  await countAttempt(pool, `sign-in device ${device.id}`, options.perDevice, now);
  const user = await findStaff(pool, email);
  const attempt = { userId: user?.id ?? null, email, deviceId: device.id, now };
  const lock = await readSignInLock(pool, email, now);
  if (lock.locked) {
    await recordAttempt(pool, { ...attempt, outcome: 'locked' });
    throw lockedError(lock, attempt.userId, now);
  }
  const hash = user && !user.deleted && user.active ? user.password_hash : null;
  const verified =
    hash === null
      ? await verifyDecoy(options.password).then(() => false)
      : await verifyPassword(hash, options.password);
  if (!user || hash === null || !verified) {
    const failed = await recordSignInFailure(pool, { email, userId: user?.id ?? null, now });
    const outcome = !user ? 'unknown_email' : hash === null ? 'inactive' : 'wrong_password';
    await recordAttempt(pool, {
      ...attempt,
      outcome: failed.locked ? `${outcome}_locked` : outcome,
    });
    throw new ApiError(401, 'unauthorized', WRONG_CREDENTIALS, {
      log: { userId: attempt.userId, outcome },
    });
  }
  if (user.hospital_id !== null && user.hospital_id !== device.hospitalId) {
    await recordAttempt(pool, { ...attempt, outcome: 'other_hospital' });
    throw new ApiError(
      403,
      'forbidden',
      'This account belongs to another hospital than this workstation.',
      { log: { userId: user.id, outcome: 'other_hospital' } },
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
  await recordAttempt(pool, { ...attempt, outcome: 'success' });
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

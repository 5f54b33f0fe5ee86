import argon2 from 'argon2';
import type pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { isPermission } from '../../shared/permissions';
import type { LoginResponse } from '../../shared/protocol';
import { effectivePermissions, type Role } from '../../shared/roles';
import { registerSigningKey } from '../authorship/signing-keys';
import type { AuthenticatedDevice } from '../devices/enrollment';
import { ApiError } from '../http/errors';

export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

const WRONG_CREDENTIALS = 'The email or password is not correct.';

// Verifying against a real hash when the email is unknown keeps both answers equally slow.
const decoyHash = argon2.hash('wardline-decoy-password', { type: argon2.argon2id });

interface StaffRow {
  id: string;
  email: string;
  full_name: string;
  hospital_id: string | null;
  role: Role;
  active: boolean;
  deleted: boolean;
  failed_login_count: number;
  locked_until: string | null;
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

/**
 * Staff sign-in from an enrolled device. Unknown email and wrong password get the same 401;
 * repeated failures lock the account for a while; every attempt is written to login_history.
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
  },
): Promise<LoginResponse> {
  const { now, device } = options;
  const email = options.email.trim().toLowerCase();
  const found = await pool.query<StaffRow>(
    `select u.id, u.email, u.full_name, u.hospital_id, u.role, u.active, u.deleted_at is not null as deleted,
            u.failed_login_count, to_char(u.locked_until at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as locked_until, c.password_hash
       from users u left join user_credentials c on c.user_id = u.id
      where lower(u.email) = $1`,
    [email],
  );
  const user = found.rows[0];
  const attempt = { userId: user?.id ?? null, email, deviceId: device.id, now };
  if (!user || user.deleted || !user.active || user.password_hash === null) {
    await argon2.verify(await decoyHash, options.password);
    await recordAttempt(pool, { ...attempt, outcome: user ? 'inactive' : 'unknown_email' });
    throw new ApiError(401, 'unauthorized', WRONG_CREDENTIALS);
  }
  const lockedUntil = user.locked_until === null ? null : new Date(user.locked_until);
  if (lockedUntil && lockedUntil > now) {
    await recordAttempt(pool, { ...attempt, outcome: 'locked' });
    const minutes = Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000);
    throw new ApiError(
      401,
      'account_locked',
      `This account is locked after repeated failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'} or ask an administrator.`,
    );
  }
  if (!(await argon2.verify(user.password_hash, options.password))) {
    const failures = user.failed_login_count + 1;
    const locks = failures >= LOCKOUT_THRESHOLD;
    await pool.query('update users set failed_login_count = $2, locked_until = $3 where id = $1', [
      user.id,
      locks ? 0 : failures,
      locks ? new Date(now.getTime() + LOCKOUT_MS).toISOString() : null,
    ]);
    await recordAttempt(pool, {
      ...attempt,
      outcome: locks ? 'wrong_password_locked' : 'wrong_password',
    });
    throw new ApiError(401, 'unauthorized', WRONG_CREDENTIALS);
  }
  if (user.hospital_id !== null && user.hospital_id !== device.hospitalId) {
    await recordAttempt(pool, { ...attempt, outcome: 'other_hospital' });
    throw new ApiError(
      403,
      'forbidden',
      'This account belongs to another hospital than this workstation.',
    );
  }
  await pool.query(
    'update users set failed_login_count = 0, locked_until = null, last_login_at = $2 where id = $1',
    [user.id, now.toISOString()],
  );
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

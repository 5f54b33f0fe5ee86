/**
 * Password changes and administrators' resets (Wardline extensions, docs/SYNC.md "Passwords").
 * Only hashes are stored; each change or reset raises the person's `users.credential_version`,
 * which reaches every workstation of the hospital by pull and retires the offline verifiers made
 * for the old password there. A temporary password is returned once, to the administrator's
 * screen, and is never logged or kept.
 */
import { randomInt } from 'node:crypto';
import type pg from 'pg';
import { checkAccountChange } from '../../shared/account-rules';
import { TEMPORARY_PASSWORD_ALPHABET, TEMPORARY_PASSWORD_LENGTH } from '../../shared/passwords';
import type { Role } from '../../shared/roles';
import type { AuthenticatedDevice } from '../devices/enrollment';
import { ApiError } from '../http/errors';
import { recordSignInSuccess } from './lockout';
import { provePassword, type PasswordAttempt } from './login';
import { hashPassword } from './password-hash';
import { loadStaffStanding } from './staff-permissions';

/** Stores `hash` as the person's password and raises their credential version, in one step. */
async function replacePassword(
  pool: pg.Pool,
  change: { userId: string; hash: string; mustChange: boolean; now: Date },
): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `insert into user_credentials (user_id, password_hash, password_changed_at, must_change_password)
       values ($1, $2, $3, $4)
       on conflict (user_id) do update set password_hash = excluded.password_hash,
         password_changed_at = excluded.password_changed_at,
         must_change_password = excluded.must_change_password`,
      [change.userId, change.hash, change.now.toISOString(), change.mustChange],
    );
    const raised = await client.query<{ credential_version: number }>(
      'update users set credential_version = credential_version + 1 where id = $1 returning credential_version',
      [change.userId],
    );
    await client.query('commit');
    return raised.rows[0]?.credential_version ?? 0;
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

/**
 * A person's own change, proven by their current password exactly as a sign-in is (limits,
 * lockout, login_history); a temporary password from a reset counts as current.
 */
export async function changeOwnPassword(
  pool: pg.Pool,
  attempt: PasswordAttempt & { newPassword: string },
): Promise<{ credentialVersion: number }> {
  const { user, record } = await provePassword(pool, attempt);
  if (attempt.newPassword === attempt.password)
    throw new ApiError(
      400,
      'invalid_request',
      'newPassword: the new password must differ from the current one.',
    );
  const credentialVersion = await replacePassword(pool, {
    userId: user.id,
    hash: await hashPassword(attempt.newPassword),
    mustChange: false,
    now: attempt.now,
  });
  await recordSignInSuccess(pool, { email: user.email, userId: user.id, now: attempt.now });
  await record('password_changed');
  return { credentialVersion };
}

export function temporaryPassword(): string {
  return Array.from(
    { length: TEMPORARY_PASSWORD_LENGTH },
    () => TEMPORARY_PASSWORD_ALPHABET[randomInt(TEMPORARY_PASSWORD_ALPHABET.length)],
  ).join('');
}

/**
 * An administrator's reset (`users:manage`, proven by a signed request) of a person of the
 * device's hospital: the account rules of shared/account-rules.ts apply as to an unlock (nobody
 * resets their own, only a super administrator a super administrator's). The old password stops
 * working at once; the temporary one only leads to choosing a new one.
 */
export async function resetPassword(
  pool: pg.Pool,
  reset: { device: AuthenticatedDevice; adminId: string; userId: string; now: Date },
): Promise<{ temporaryPassword: string; credentialVersion: number }> {
  if (reset.userId === reset.adminId)
    throw new ApiError(
      403,
      'forbidden',
      'You cannot reset your own password: change it from your user menu instead.',
    );
  const target = await pool.query<{ id: string; role: Role; hospital_id: string | null }>(
    'select id, role, hospital_id from users where id = $1 and deleted_at is null',
    [reset.userId],
  );
  const person = target.rows[0];
  if (!person || person.hospital_id !== reset.device.hospitalId)
    throw new ApiError(404, 'not_found', 'There is no such staff account at this hospital.');
  const admin = await pool.query<{ role: Role }>('select role from users where id = $1', [
    reset.adminId,
  ]);
  const standing = await loadStaffStanding(pool, reset.adminId, reset.now);
  const adminRole = admin.rows[0]?.role;
  if (!standing || !adminRole)
    throw new ApiError(403, 'forbidden', 'This account may not reset passwords.');
  const breach = checkAccountChange(
    { userId: reset.adminId, role: adminRole, held: standing.permissions },
    { userId: person.id, role: person.role },
    { kind: 'unlock' },
    reset.now,
  );
  if (breach) throw new ApiError(403, 'forbidden', breach.message);
  const password = temporaryPassword();
  const credentialVersion = await replacePassword(pool, {
    userId: person.id,
    hash: await hashPassword(password),
    mustChange: true,
    now: reset.now,
  });
  return { temporaryPassword: password, credentialVersion };
}

/**
 * Progressive lockout per account: five wrong passwords in a row lock it for 15 minutes; each
 * further lockout less than 24 hours after the one before doubles the wait, and the third needs
 * an administrator's unlock. Counted per email as typed, known or not (`sign_in_locks`), so a
 * locked answer is given for an unknown email too and tells a guesser nothing. The account's
 * `users` row mirrors the count and the lock, which is what the Admin screen shows and what its
 * unlock clears (clearSignInLocks, through the normal users update).
 */
import type pg from 'pg';
import { LOCKED_UNTIL_UNLOCKED } from '../../shared/sign-in-lock';

export const LOCKOUT_THRESHOLD = 5;
export const FIRST_LOCKOUT_MS = 15 * 60 * 1000;
/** A lockout less than this after the previous one doubles the wait. */
export const LOCKOUT_CHAIN_MS = 24 * 60 * 60 * 1000;
/** The lockout in a chain that only an administrator can lift. */
export const ADMIN_UNLOCK_AT = 3;

export type SignInLock =
  | { locked: false }
  /** `until` null: until an administrator unlocks the account. */
  | { locked: true; until: Date | null };

interface LockRow {
  failures: number;
  locked_until: Date | null;
  lockouts: number;
  last_locked_at: Date | null;
  admin_unlock_required: boolean;
}

export async function readSignInLock(pool: pg.Pool, email: string, now: Date): Promise<SignInLock> {
  const found = await pool.query<LockRow>(
    'select locked_until, admin_unlock_required from sign_in_locks where email = $1',
    [email],
  );
  const row = found.rows[0];
  if (row?.admin_unlock_required) return { locked: true, until: null };
  if (row?.locked_until && row.locked_until > now) return { locked: true, until: row.locked_until };
  return { locked: false };
}

/** The state after one more wrong password. */
function afterFailure(row: LockRow, now: Date): LockRow {
  const failures = row.failures + 1;
  if (failures < LOCKOUT_THRESHOLD) return { ...row, failures };
  const chained =
    row.last_locked_at !== null && now.getTime() - row.last_locked_at.getTime() < LOCKOUT_CHAIN_MS;
  const lockouts = chained ? row.lockouts + 1 : 1;
  const adminUnlockRequired = lockouts >= ADMIN_UNLOCK_AT;
  return {
    failures: 0,
    lockouts,
    last_locked_at: now,
    admin_unlock_required: adminUnlockRequired,
    locked_until: adminUnlockRequired
      ? null
      : new Date(now.getTime() + FIRST_LOCKOUT_MS * 2 ** (lockouts - 1)),
  };
}

/**
 * Counts a wrong password (or an unknown email, or an account that cannot sign in) against
 * `email`, locking it at the threshold; mirrors the result onto the account's row when there is
 * one. Returns the lock it now has.
 */
export async function recordSignInFailure(
  pool: pg.Pool,
  options: { email: string; userId: string | null; now: Date },
): Promise<SignInLock> {
  const { email, userId, now } = options;
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('insert into sign_in_locks (email) values ($1) on conflict do nothing', [
      email,
    ]);
    const found = await client.query<LockRow>(
      `select failures, locked_until, lockouts, last_locked_at, admin_unlock_required
         from sign_in_locks where email = $1 for update`,
      [email],
    );
    const before = found.rows[0];
    if (!before) throw new Error('sign_in_locks row vanished inside its own transaction');
    const after = afterFailure(before, now);
    await client.query(
      `update sign_in_locks set failures = $2, locked_until = $3, lockouts = $4, last_locked_at = $5,
              admin_unlock_required = $6, updated_at = $7
        where email = $1`,
      [
        email,
        after.failures,
        after.locked_until?.toISOString() ?? null,
        after.lockouts,
        after.last_locked_at?.toISOString() ?? null,
        after.admin_unlock_required,
        now.toISOString(),
      ],
    );
    if (userId !== null) {
      const lockedUntil = after.admin_unlock_required
        ? LOCKED_UNTIL_UNLOCKED
        : (after.locked_until?.toISOString() ?? null);
      // A failure that does not lock leaves an earlier, expired lock time as it was.
      await client.query(
        `update users set failed_login_count = $2, locked_until = coalesce($3, locked_until)
          where id = $1`,
        [userId, after.failures, lockedUntil],
      );
    }
    await client.query('commit');
    if (after.admin_unlock_required) return { locked: true, until: null };
    return after.locked_until ? { locked: true, until: after.locked_until } : { locked: false };
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

/**
 * A successful sign-in ends the run of failures. Earlier lockouts still count for 24 hours: a
 * guesser who also knows one password cannot reset the doubling with it.
 */
export async function recordSignInSuccess(
  pool: pg.Pool,
  options: { email: string; userId: string; now: Date },
): Promise<void> {
  const now = options.now.toISOString();
  await pool.query(
    'update sign_in_locks set failures = 0, locked_until = null, updated_at = $2 where email = $1',
    [options.email, now],
  );
  await pool.query(
    'update users set failed_login_count = 0, locked_until = null, last_login_at = $2 where id = $1',
    [options.userId, now],
  );
}

/**
 * An administrator's unlock (a pushed users update that clears the lock): the accounts' runs of
 * failures and lockouts are forgotten, so the next lockout starts again at 15 minutes.
 */
export async function clearSignInLocks(
  client: pg.PoolClient,
  userIds: readonly string[],
): Promise<void> {
  if (userIds.length === 0) return;
  await client.query(
    `delete from sign_in_locks where email in
       (select lower(trim(email)) from users where id = any($1::uuid[]))`,
    [userIds],
  );
}

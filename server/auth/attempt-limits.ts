/**
 * How often something may be tried: sign-in per device, enrollment per client address
 * (SYNC-PROTOCOL.md, `POST /v1/auth/login`). Sign-in is never limited per address alone: a
 * hospital's workstations may all sit behind one address, and two hundred of them signing in at
 * a shift change must all get through. The counts live in PostgreSQL (`attempt_counters`), so
 * several server processes behind one database count together.
 */
import type pg from 'pg';
import { ApiError } from '../http/errors';

export interface AttemptLimit {
  max: number;
  windowMs: number;
}

export interface AttemptLimits {
  /** Sign-in attempts per enrolled device, whatever the account and the outcome. */
  signInPerDevice: AttemptLimit;
  /** Enrollment attempts per client address (the code is the credential; no device yet). */
  enrollPerAddress: AttemptLimit;
}

export const DEFAULT_ATTEMPT_LIMITS: AttemptLimits = {
  // A ward PC sees a handful of sign-ins at a shift change; a guesser with a stolen token, more.
  signInPerDevice: { max: 30, windowMs: 60_000 },
  enrollPerAddress: { max: 30, windowMs: 60_000 },
};

/**
 * Counts one attempt under `key` in the current window (fixed windows of `windowMs`, one upsert)
 * and refuses it beyond `max`: 429 `rate_limited` with Retry-After, the seconds until the window
 * ends.
 */
export async function countAttempt(
  pool: pg.Pool,
  key: string,
  limit: AttemptLimit,
  now: Date,
): Promise<void> {
  const windowStart = Math.floor(now.getTime() / limit.windowMs) * limit.windowMs;
  const counted = await pool.query<{ attempts: number }>(
    `insert into attempt_counters (key, window_started_at, attempts) values ($1, $2, 1)
     on conflict (key) do update set
       attempts = case when attempt_counters.window_started_at >= excluded.window_started_at
                       then attempt_counters.attempts + 1 else 1 end,
       window_started_at = greatest(attempt_counters.window_started_at, excluded.window_started_at)
     returning attempts`,
    [key, new Date(windowStart).toISOString()],
  );
  const attempts = counted.rows[0]?.attempts ?? 1;
  if (attempts <= limit.max) return;
  const seconds = Math.max(1, Math.ceil((windowStart + limit.windowMs - now.getTime()) / 1000));
  throw new ApiError(
    429,
    'rate_limited',
    `Too many attempts from here; try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    { headers: { 'retry-after': String(seconds) } },
  );
}

import { boolean, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { timestamp } from './columns';
import { users } from './access';

// Staff sign-in tables only the server has; they never travel through /v1/sync.

/**
 * Password hashes live apart from `users` so that no query that feeds sync can ever select one.
 */
export const userCredentials = pgTable('user_credentials', {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  passwordHash: text().notNull(),
  passwordChangedAt: timestamp().notNull().defaultNow(),
  /**
   * Set by an administrator's reset: the hash is of a temporary password, which signs in only to
   * choose a new one (server/auth/passwords.ts).
   */
  mustChangePassword: boolean().notNull().default(false),
});

export const passwordResetTokens = pgTable(
  'password_reset_tokens',
  {
    id: uuid().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text().notNull().unique('password_reset_tokens_token_hash_unique'),
    expiresAt: timestamp().notNull(),
    usedAt: timestamp(),
    createdAt: timestamp().notNull().defaultNow(),
  },
  (t) => [index('password_reset_tokens_user_idx').on(t.userId)],
);

export const loginHistory = pgTable(
  'login_history',
  {
    id: uuid().primaryKey(),
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    email: text().notNull(),
    deviceId: uuid(),
    at: timestamp().notNull().defaultNow(),
    outcome: text().notNull(),
  },
  (t) => [
    index('login_history_user_at_idx').on(t.userId, t.at),
    index('login_history_at_idx').on(t.at),
  ],
);

/**
 * Each email's run of failed sign-ins and its lockouts (server/auth/lockout.ts), unknown emails
 * included, so a locked answer reveals nothing about whether an account exists. Kept here rather
 * than on `users` (which mirrors the lock for the Admin screen) so that several server processes
 * share one count.
 */
export const signInLocks = pgTable(
  'sign_in_locks',
  {
    /** Trimmed, lowercased email as typed. */
    email: text().primaryKey(),
    /** Wrong passwords since the last success or lockout. */
    failures: integer().notNull().default(0),
    lockedUntil: timestamp(),
    /** Lockouts in a row, each less than 24 h after the one before; the wait doubles with each. */
    lockouts: integer().notNull().default(0),
    lastLockedAt: timestamp(),
    /** After the third lockout only an administrator's unlock opens the account again. */
    adminUnlockRequired: boolean().notNull().default(false),
    updatedAt: timestamp().notNull().defaultNow(),
  },
  (t) => [index('sign_in_locks_updated_at_idx').on(t.updatedAt)],
);

/**
 * Attempts per key (`sign-in device <id>`, `enroll address <ip>`) in the current fixed window
 * (server/auth/attempt-limits.ts), in PostgreSQL so that every server process counts together.
 */
export const attemptCounters = pgTable('attempt_counters', {
  key: text().primaryKey(),
  windowStartedAt: timestamp().notNull(),
  attempts: integer().notNull(),
});

import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
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

import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ROLES } from '../../../shared/roles';
import { oneOf } from '../../enum-check';
import { syncColumns, timestamp } from './columns';
import { hospitals, regions } from './organisation';

export const roles = pgTable(
  'roles',
  {
    ...syncColumns(uuid()),
    name: text({ enum: ROLES }).notNull().unique('roles_name_unique'),
    description: text().notNull(),
  },
  (t) => [check('roles_name_check', oneOf(t.name, ROLES))],
);

export const permissions = pgTable('permissions', {
  ...syncColumns(uuid()),
  key: text().notNull().unique('permissions_key_unique'),
  description: text().notNull(),
});

export const rolePermissions = pgTable(
  'role_permissions',
  {
    ...syncColumns(uuid()),
    roleId: uuid()
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    permissionId: uuid()
      .notNull()
      .references(() => permissions.id, { onDelete: 'cascade' }),
  },
  (t) => [uniqueIndex('role_permissions_role_permission_unique').on(t.roleId, t.permissionId)],
);

/** Staff accounts. hospitalId is null for super and regional administrators. */
export const users = pgTable(
  'users',
  {
    ...syncColumns(uuid().references(() => hospitals.id, { onDelete: 'restrict' })),
    email: text().notNull().unique('users_email_unique'),
    fullName: text().notNull(),
    role: text({ enum: ROLES })
      .notNull()
      .references(() => roles.name, { onDelete: 'restrict', onUpdate: 'cascade' }),
    regionId: uuid().references(() => regions.id, { onDelete: 'set null' }),
    active: boolean().notNull().default(true),
    failedLoginCount: integer().notNull().default(0),
    lockedUntil: timestamp(),
    lastLoginAt: timestamp(),
  },
  (t) => [
    index('users_hospital_role_idx').on(t.hospitalId, t.role),
    check('users_failed_login_count_check', sql`${t.failedLoginCount} >= 0`),
  ],
);

/** Direct grants on top of the role, e.g. a nurse covering the pharmacy for a weekend. */
export const userPermissions = pgTable(
  'user_permissions',
  {
    ...syncColumns(uuid().references(() => hospitals.id, { onDelete: 'restrict' })),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    permissionId: uuid()
      .notNull()
      .references(() => permissions.id, { onDelete: 'cascade' }),
    grantedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp(),
    reason: text(),
  },
  (t) => [index('user_permissions_user_idx').on(t.userId, t.expiresAt)],
);

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

import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { ROLES } from '../../../shared/roles';
import { oneOf } from '../../enum-check';
import { bool, syncColumns, timestamp } from './columns';
import { hospitals, regions } from './organisation';

export const roles = sqliteTable(
  'roles',
  {
    ...syncColumns(text()),
    name: text({ enum: ROLES }).notNull().unique('roles_name_unique'),
    description: text().notNull(),
  },
  (t) => [check('roles_name_check', oneOf(t.name, ROLES))],
);

export const permissions = sqliteTable('permissions', {
  ...syncColumns(text()),
  key: text().notNull().unique('permissions_key_unique'),
  description: text().notNull(),
});

export const rolePermissions = sqliteTable(
  'role_permissions',
  {
    ...syncColumns(text()),
    roleId: text()
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    permissionId: text()
      .notNull()
      .references(() => permissions.id, { onDelete: 'cascade' }),
  },
  (t) => [uniqueIndex('role_permissions_role_permission_unique').on(t.roleId, t.permissionId)],
);

/** Staff accounts. hospitalId is null for super and regional administrators. */
export const users = sqliteTable(
  'users',
  {
    ...syncColumns(text().references(() => hospitals.id, { onDelete: 'restrict' })),
    email: text().notNull().unique('users_email_unique'),
    fullName: text().notNull(),
    role: text({ enum: ROLES })
      .notNull()
      .references(() => roles.name, { onDelete: 'restrict', onUpdate: 'cascade' }),
    regionId: text().references(() => regions.id, { onDelete: 'set null' }),
    active: bool().notNull().default(true),
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
export const userPermissions = sqliteTable(
  'user_permissions',
  {
    ...syncColumns(text().references(() => hospitals.id, { onDelete: 'restrict' })),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    permissionId: text()
      .notNull()
      .references(() => permissions.id, { onDelete: 'cascade' }),
    grantedBy: text().references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp(),
    reason: text(),
  },
  (t) => [index('user_permissions_user_idx').on(t.userId, t.expiresAt)],
);

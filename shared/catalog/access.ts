import { PERMISSION_KEYS } from '../permissions';
import { ROLES, type Role } from '../roles';
import { boolean, email, enumOf, integer, text, timestamp, uuid } from './columns';
import { index, syncedTable, uniqueIndex } from './table';

const AREA = 'access';

const STAFF_ADMIN = {
  insert: 'users:manage',
  update: 'users:manage',
  delete: 'users:manage',
} as const;

export const roles = syncedTable('roles', {
  area: AREA,
  description: 'The nine roles of shared/roles.ts, as rows other tables refer to.',
  scope: 'reference',
  columns: {
    name: enumOf(ROLES).unique('roles_name_unique'),
    description: text({ max: 200 }),
  },
});

export const permissions = syncedTable('permissions', {
  area: AREA,
  description: 'The permission catalog of shared/permissions.ts, as rows grants refer to.',
  scope: 'reference',
  columns: {
    // zod checks the key at every boundary; the database holds no list of keys.
    key: enumOf(PERMISSION_KEYS, { check: false }).unique('permissions_key_unique'),
    description: text({ max: 200 }),
  },
});

export const rolePermissions = syncedTable('role_permissions', {
  area: AREA,
  description: 'Which permissions each role holds (the reviewed table of shared/roles.ts).',
  scope: 'reference',
  columns: {
    roleId: uuid().references('roles', { onDelete: 'cascade' }),
    permissionId: uuid().references('permissions', { onDelete: 'cascade' }),
  },
  indexes: [uniqueIndex('role_permissions_role_permission_unique', ['roleId', 'permissionId'])],
});

/**
 * The email a replica gives a person it knows only by name (a regional administrator who never
 * signed in there): `.invalid` is never anyone's mailbox (RFC 2606).
 */
export const outsiderEmail = (id: string) => `${id}@outside-hospital.invalid`;

const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

export const users = syncedTable('users', {
  area: AREA,
  description: 'Staff accounts. hospitalId is null for super and regional administrators.',
  hospitalId: 'nullable',
  columns: {
    email: email({ max: 254, normalise: true }).unique('users_email_unique'),
    fullName: text({ max: 160 }),
    // The foreign key to roles.name holds the values; no separate check.
    role: enumOf(ROLES, { check: false }).references('roles', {
      column: 'name',
      onDelete: 'restrict',
      onUpdate: 'cascade',
    }),
    regionId: uuid().nullable().references('regions', { onDelete: 'set null' }),
    active: boolean().default(true),
    failedLoginCount: integer({ min: 0 }).default(0),
    lockedUntil: timestamp().nullable(),
    lastLoginAt: timestamp().nullable(),
    /**
     * Raised by the server at each password change or reset (never by a push): a workstation
     * whose offline verifier was made for a lower version no longer accepts it.
     */
    credentialVersion: integer().default(0),
  },
  indexes: [index('users_hospital_role_idx', ['hospitalId', 'role'])],
  permissions: STAFF_ADMIN,
  serverChecks: ['account_rules'],
  // A hospital sees who changed its records, not another's staff list: name and role only.
  outsiders: {
    send: (row) => ({ id: row.id, fullName: row.fullName, roles: [row.role] }),
    keep: (sent) => {
      const role = Array.isArray(sent.roles) ? sent.roles.find(isRole) : undefined;
      if (typeof sent.id !== 'string' || typeof sent.fullName !== 'string' || !role) return null;
      return {
        fields: {
          fullName: sent.fullName,
          role,
          hospitalId: null,
          regionId: null,
          failedLoginCount: 0,
          lockedUntil: null,
          lastLoginAt: null,
          credentialVersion: 0,
        },
        placeholders: { email: outsiderEmail(sent.id) },
      };
    },
  },
});

export const userPermissions = syncedTable('user_permissions', {
  area: AREA,
  description:
    'Direct grants on top of the role, e.g. a nurse covering the pharmacy for a weekend.',
  hospitalId: 'nullable',
  columns: {
    userId: uuid().references('users', { onDelete: 'cascade' }),
    permissionId: uuid().references('permissions', { onDelete: 'cascade' }),
    grantedBy: uuid().nullable().references('users', { onDelete: 'set null' }),
    expiresAt: timestamp().nullable(),
    reason: text({ max: 500 }).nullable(),
  },
  indexes: [index('user_permissions_user_idx', ['userId', 'expiresAt'])],
  permissions: STAFF_ADMIN,
  serverChecks: ['grant_rules'],
});

export const staffWardAssignments = syncedTable('staff_ward_assignments', {
  area: AREA,
  description:
    'The wards a person works on, when their hospital uses ward assignment (hospitals.wardAssignment).',
  columns: {
    userId: uuid().references('users', { onDelete: 'cascade' }),
    wardId: uuid().references('wards', { onDelete: 'cascade' }),
  },
  indexes: [
    uniqueIndex('staff_ward_assignments_user_ward_unique', ['userId', 'wardId'], {
      where: '{deletedAt} is null',
      why: 'A person is assigned to a ward once; a removed assignment can be made again.',
    }),
  ],
  permissions: STAFF_ADMIN,
});

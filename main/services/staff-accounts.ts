/**
 * Staff accounts of the hospital as an administrator manages them on a workstation: role,
 * active or not, an unlock after repeated failed sign-ins, and direct grants on top of the role.
 * Every change goes through the single write path and is judged by shared/account-rules.ts,
 * the same rules the server applies when the change is pushed. Passwords are never here: new
 * accounts and their first password are made by IT on the server (docs/SERVER.md).
 */
import { and, asc, eq, inArray, isNull, max, or } from 'drizzle-orm';
import { z } from 'zod';
import type { ReplicaReader } from './replica-reader';
import {
  cachedCredentials,
  hospitals,
  loginHistory,
  permissions,
  rolePermissions,
  roles,
  userPermissions,
  users,
} from '../../db/local/schema';
import {
  checkAccountChange,
  type AccountActor,
  type AccountChange,
  type AccountTarget,
} from '../../shared/account-rules';
import { outsiderEmail } from '../../shared/catalog/access';
import { permissionId } from '../../shared/reference-data';
import { PERMISSIONS } from '../../shared/permissions';
import { permissionsOfRole, ROLE_LABELS, ROLES, type Role } from '../../shared/roles';
import { PermissionKeySchema, RoleNameSchema } from '../../shared/schemas/access';
import { IdSchema, TimestampSchema, textField } from '../../shared/schemas/common';
import { clearOfflineLock } from '../auth/offline-lock';
import { loadPermissions } from '../auth/permissions';
import { refuse, type RefusalKind } from '../errors';
import { parseInput } from './validate';
import { writeClinical, type WriteBatch, type WriteContext } from './write-path';

export const ChangeRoleInput = z.object({ userId: IdSchema, role: RoleNameSchema });
export type ChangeRoleInput = z.input<typeof ChangeRoleInput>;

export const SetActiveInput = z.object({ userId: IdSchema, active: z.boolean() });
export type SetActiveInput = z.input<typeof SetActiveInput>;

export const UnlockAccountInput = z.object({ userId: IdSchema });
export type UnlockAccountInput = z.input<typeof UnlockAccountInput>;

export const GrantPermissionInput = z.object({
  userId: IdSchema,
  permission: PermissionKeySchema,
  expiresAt: TimestampSchema.nullable().default(null),
  reason: textField(500),
});
export type GrantPermissionInput = z.input<typeof GrantPermissionInput>;

export const RevokeGrantInput = z.object({ grantId: IdSchema });
export type RevokeGrantInput = z.input<typeof RevokeGrantInput>;

export interface StaffGrant {
  id: string;
  permission: string;
  expiresAt: string | null;
  reason: string | null;
  grantedBy: string | null;
  grantedAt: string;
}

export interface StaffMember {
  id: string;
  fullName: string;
  /** Null for a person outside the hospital whom this replica knows by name only. */
  email: string | null;
  role: Role;
  active: boolean;
  /** Later of the server's lock and this workstation's offline lock; null when not locked now. */
  lockedUntil: string | null;
  failedLoginCount: number;
  /**
   * Later of the server's last online sign-in (on the pulled row) and the last sign-in on this
   * workstation (login_history, which also counts offline ones and unlocks).
   */
  lastLoginAt: string | null;
  /** Regional and super administrators belong to no hospital: they are managed on the server. */
  managedCentrally: boolean;
  grants: StaffGrant[];
}

const later = (a: string | null, b: string | null) =>
  a === null ? b : b === null || a > b ? a : b;

function activeGrants(
  db: ReplicaReader,
  userIds: readonly string[] | null,
  now: Date,
): Map<string, StaffGrant[]> {
  const rows = db
    .select({
      id: userPermissions.id,
      userId: userPermissions.userId,
      permission: permissions.key,
      expiresAt: userPermissions.expiresAt,
      reason: userPermissions.reason,
      grantedBy: userPermissions.grantedBy,
      grantedAt: userPermissions.createdAt,
    })
    .from(userPermissions)
    .innerJoin(permissions, eq(permissions.id, userPermissions.permissionId))
    .where(
      and(
        isNull(userPermissions.deletedAt),
        userIds ? inArray(userPermissions.userId, [...userIds]) : undefined,
      ),
    )
    .orderBy(asc(permissions.key))
    .all();
  const byUser = new Map<string, StaffGrant[]>();
  for (const { userId, ...grant } of rows) {
    if (grant.expiresAt !== null && Date.parse(grant.expiresAt) <= now.getTime()) continue;
    byUser.set(userId, [...(byUser.get(userId) ?? []), grant]);
  }
  return byUser;
}

/**
 * The hospital's staff, by name, with their live grants; also the administrators above it (no
 * hospital: its region's, or with no region at all), who reach every workstation as reference rows.
 */
export function listStaff(db: ReplicaReader, hospitalId: string, now: Date): StaffMember[] {
  const regionId =
    db
      .select({ regionId: hospitals.regionId })
      .from(hospitals)
      .where(eq(hospitals.id, hospitalId))
      .get()?.regionId ?? null;
  const above = and(
    isNull(users.hospitalId),
    regionId === null ? undefined : or(isNull(users.regionId), eq(users.regionId, regionId)),
  );
  const rows = db
    .select({ user: users, offlineLock: cachedCredentials.lockedUntil })
    .from(users)
    .leftJoin(cachedCredentials, eq(cachedCredentials.userId, users.id))
    .where(and(or(eq(users.hospitalId, hospitalId), above), isNull(users.deletedAt)))
    .orderBy(asc(users.fullName))
    .all();
  const grants = activeGrants(db, null, now);
  const signedInHere = lastSignInsHere(db);
  return rows.map(({ user, offlineLock }) => {
    const lockedUntil = later(user.lockedUntil, offlineLock);
    return {
      id: user.id,
      fullName: user.fullName,
      email: user.email === outsiderEmail(user.id) ? null : user.email,
      role: user.role,
      active: user.active,
      lockedUntil:
        lockedUntil !== null && Date.parse(lockedUntil) > now.getTime() ? lockedUntil : null,
      failedLoginCount: user.failedLoginCount,
      lastLoginAt: later(user.lastLoginAt, signedInHere.get(user.id) ?? null),
      managedCentrally: user.hospitalId === null,
      grants: grants.get(user.id) ?? [],
    };
  });
}

function lastSignInsHere(db: ReplicaReader): Map<string, string> {
  const rows = db
    .select({ userId: loginHistory.userId, at: max(loginHistory.at) })
    .from(loginHistory)
    .where(eq(loginHistory.outcome, 'success'))
    .groupBy(loginHistory.userId)
    .all();
  return new Map(rows.flatMap(({ userId, at }) => (userId && at ? [[userId, at] as const] : [])));
}

function loadActor(batch: WriteBatch, now: Date): AccountActor {
  const actor = batch.read(users, batch.actor.userId);
  return { userId: actor.id, role: actor.role, held: loadPermissions(batch.db, actor.id, now) };
}

const RULE_KINDS: Record<string, RefusalKind> = {
  grant_expiry_past: 'invalid',
  grant_duplicate: 'conflict',
};

/** Reads the target in the transaction and refuses what the account rules or the hospital forbid. */
function judge(
  batch: WriteBatch,
  userId: string,
  change: AccountChange,
): typeof users.$inferSelect {
  const now = new Date(batch.now);
  const target = batch.read(users, userId);
  if (target.deletedAt !== null)
    refuse('not_found', 'That staff account no longer exists.', 'not_found');
  if (target.hospitalId !== batch.actor.hospitalId) {
    refuse(
      'managed_centrally',
      'Regional and super administrator accounts are managed on the server, not from a hospital workstation.',
      'forbidden',
    );
  }
  const subject: AccountTarget = { userId: target.id, role: target.role };
  const broken = checkAccountChange(loadActor(batch, now), subject, change, now);
  if (broken) refuse(broken.code, broken.message, RULE_KINDS[broken.code] ?? 'forbidden');
  return target;
}

export function changeRole(context: WriteContext, input: ChangeRoleInput) {
  const fields = parseInput(ChangeRoleInput, input);
  return writeClinical(context, (batch) => {
    judge(batch, fields.userId, { kind: 'set_role', role: fields.role });
    return batch.update(
      users,
      fields.userId,
      { role: fields.role },
      { action: 'staff.change_role' },
    );
  });
}

export function setAccountActive(context: WriteContext, input: SetActiveInput) {
  const fields = parseInput(SetActiveInput, input);
  return writeClinical(context, (batch) => {
    judge(batch, fields.userId, { kind: 'set_active', active: fields.active });
    return batch.update(
      users,
      fields.userId,
      { active: fields.active },
      {
        action: fields.active ? 'staff.reactivate' : 'staff.deactivate',
      },
    );
  });
}

export function unlockAccount(context: WriteContext, input: UnlockAccountInput) {
  const fields = parseInput(UnlockAccountInput, input);
  return writeClinical(context, (batch) => {
    judge(batch, fields.userId, { kind: 'unlock' });
    // The offline lock is this workstation's own count (no server saw those attempts): clear it too.
    clearOfflineLock(batch.local, fields.userId);
    return batch.update(
      users,
      fields.userId,
      { failedLoginCount: 0, lockedUntil: null },
      { action: 'staff.unlock' },
    );
  });
}

export function grantPermission(context: WriteContext, input: GrantPermissionInput) {
  const fields = parseInput(GrantPermissionInput, input);
  const expiresAt = fields.expiresAt === null ? null : new Date(fields.expiresAt).toISOString();
  return writeClinical(context, (batch) => {
    const existing = (
      activeGrants(batch.db, [fields.userId], new Date(batch.now)).get(fields.userId) ?? []
    ).map((grant) => ({ permission: grant.permission, expiresAt: grant.expiresAt }));
    judge(batch, fields.userId, {
      kind: 'grant',
      permission: fields.permission,
      expiresAt,
      existing,
    });
    return batch.insert(
      userPermissions,
      {
        userId: fields.userId,
        permissionId: permissionId(fields.permission),
        grantedBy: batch.actor.userId,
        expiresAt,
        reason: fields.reason,
      },
      { action: 'staff.grant' },
    );
  });
}

export function revokeGrant(context: WriteContext, input: RevokeGrantInput) {
  const fields = parseInput(RevokeGrantInput, input);
  return writeClinical(context, (batch) => {
    const grant = batch.read(userPermissions, fields.grantId);
    if (grant.deletedAt !== null)
      refuse('not_found', 'That grant was already revoked.', 'not_found');
    judge(batch, grant.userId, { kind: 'revoke' });
    batch.remove(userPermissions, grant.id, { action: 'staff.revoke' });
    return { grantId: grant.id };
  });
}

export interface RoleSummary {
  role: Role;
  description: string;
  permissions: string[];
}

/**
 * Every role with its permissions as the replica's reference tables hold them (the server's
 * word); before the first pull has brought them, the table compiled into this build.
 */
export function listRoles(db: ReplicaReader): RoleSummary[] {
  const stored = db
    .select({ name: roles.name, description: roles.description })
    .from(roles)
    .where(isNull(roles.deletedAt))
    .all();
  if (stored.length === 0) {
    return ROLES.map((role) => ({
      role,
      description: ROLE_LABELS[role],
      permissions: [...permissionsOfRole(role)],
    }));
  }
  const links = db
    .select({ role: roles.name, permission: permissions.key })
    .from(rolePermissions)
    .innerJoin(roles, eq(roles.id, rolePermissions.roleId))
    .innerJoin(permissions, eq(permissions.id, rolePermissions.permissionId))
    .where(isNull(rolePermissions.deletedAt))
    .all();
  const order = (role: Role) => ROLES.indexOf(role);
  return stored
    .sort((a, b) => order(a.name) - order(b.name))
    .map(({ name, description }) => ({
      role: name,
      description,
      permissions: links
        .filter((link) => link.role === name)
        .map((link) => link.permission)
        .sort(),
    }));
}

/** The permission catalog with its descriptions, from the replica or else from this build. */
export function listPermissionCatalog(db: ReplicaReader): { key: string; description: string }[] {
  const stored = db
    .select({ key: permissions.key, description: permissions.description })
    .from(permissions)
    .where(isNull(permissions.deletedAt))
    .orderBy(asc(permissions.key))
    .all();
  return stored.length > 0
    ? stored
    : Object.entries(PERMISSIONS).map(([key, description]) => ({ key, description }));
}

/**
 * What one staff member may do to another's account. Pure, so the workstation refuses (and the
 * admin screen hides) exactly what the server's push decision would reject: a workstation that
 * was tampered with, or that worked offline on stale roles, still cannot raise anyone's rights.
 */
import { PERMISSIONS, type Permission } from './permissions';
import { permissionsOfRole, ROLE_LABELS, ROLES, type Role } from './roles';

export interface AccountActor {
  userId: string;
  role: Role;
  /** The actor's effective permissions (role plus unexpired direct grants). */
  held: ReadonlySet<string>;
}

export interface AccountTarget {
  userId: string;
  role: Role;
}

export interface ActiveGrant {
  permission: string;
  expiresAt: string | null;
}

export type AccountChange =
  | { kind: 'set_role'; role: Role }
  | { kind: 'set_active'; active: boolean }
  | { kind: 'unlock' }
  /** Any other edit of the account row (name, email). */
  | { kind: 'edit' }
  | {
      kind: 'grant';
      permission: string;
      expiresAt: string | null;
      existing: readonly ActiveGrant[];
    }
  | { kind: 'revoke' };

export const ACCOUNT_RULE_CODES = [
  'self_change',
  'super_admin_only',
  'role_escalation',
  'grant_escalation',
  'unknown_permission',
  'grant_expiry_past',
  'grant_duplicate',
] as const;
export type AccountRuleCode = (typeof ACCOUNT_RULE_CODES)[number];

export interface AccountRuleBreach {
  code: AccountRuleCode;
  message: string;
}

const breach = (code: AccountRuleCode, message: string): AccountRuleBreach => ({ code, message });

const isSuperAdmin = (actor: AccountActor) => actor.role === 'super_admin';

/** A super administrator holds every permission, including ones added to the catalog later. */
function holds(actor: AccountActor, permission: string): boolean {
  return isSuperAdmin(actor) || actor.held.has(permission);
}

/** Roles the actor may give someone: only those whose every permission the actor holds. */
export function assignableRoles(actor: AccountActor): Role[] {
  return ROLES.filter((role) =>
    permissionsOfRole(role).every((permission) => holds(actor, permission)),
  );
}

/** Permissions the actor may grant directly: only those the actor holds. */
export function grantablePermissions(actor: AccountActor): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((permission) =>
    holds(actor, permission),
  );
}

function isActive(grant: ActiveGrant, now: Date): boolean {
  return grant.expiresAt === null || Date.parse(grant.expiresAt) > now.getTime();
}

function checkGrant(
  actor: AccountActor,
  change: Extract<AccountChange, { kind: 'grant' }>,
  now: Date,
): AccountRuleBreach | null {
  if (!Object.hasOwn(PERMISSIONS, change.permission)) {
    return breach('unknown_permission', `${change.permission} is not a Wardline permission.`);
  }
  if (!holds(actor, change.permission)) {
    return breach(
      'grant_escalation',
      `You can only grant permissions you hold yourself; you do not hold ${change.permission}.`,
    );
  }
  if (change.expiresAt !== null && !(Date.parse(change.expiresAt) > now.getTime())) {
    return breach(
      'grant_expiry_past',
      'The grant would end before it starts: choose an expiry in the future.',
    );
  }
  if (
    change.existing.some((grant) => grant.permission === change.permission && isActive(grant, now))
  ) {
    return breach(
      'grant_duplicate',
      `This person already has ${change.permission} granted; revoke it first to change it.`,
    );
  }
  return null;
}

/**
 * The first rule the change breaks, or null. `now` is when the change was made (a grant made
 * offline is judged by the time it was made, not by when it reached the server).
 */
export function checkAccountChange(
  actor: AccountActor,
  target: AccountTarget,
  change: AccountChange,
  now: Date,
): AccountRuleBreach | null {
  const self = actor.userId === target.userId;
  if (self && change.kind !== 'revoke' && change.kind !== 'edit') {
    return breach(
      'self_change',
      'Nobody can change their own role, status or permissions: ask another administrator.',
    );
  }
  if (target.role === 'super_admin' && !isSuperAdmin(actor)) {
    return breach(
      'super_admin_only',
      'Only a super administrator can change a super administrator’s account.',
    );
  }
  switch (change.kind) {
    case 'set_role':
      if (change.role === 'super_admin' && !isSuperAdmin(actor)) {
        return breach(
          'super_admin_only',
          'Only a super administrator can make someone a super administrator.',
        );
      }
      if (!assignableRoles(actor).includes(change.role)) {
        return breach(
          'role_escalation',
          `You can only give a role whose permissions you hold yourself, which ${ROLE_LABELS[change.role]} is not.`,
        );
      }
      return null;
    case 'grant':
      return checkGrant(actor, change, now);
    case 'set_active':
    case 'unlock':
    case 'edit':
    case 'revoke':
      return null;
  }
}

/**
 * The account rules of shared/account-rules.ts applied to pushed `users` and `user_permissions`
 * mutations: holding `users:manage` is not enough to raise someone above oneself, to change
 * one's own account or to touch a super administrator. A breach is rejected as `forbidden`.
 */
import {
  checkAccountChange,
  type AccountActor,
  type AccountChange,
  type AccountTarget,
} from '../../shared/account-rules';
import { isPermission, PERMISSION_KEYS } from '../../shared/permissions';
import type { Mutation, Reason } from '../../shared/protocol';
import { permissionId } from '../../shared/reference-data';
import { effectivePermissions, ROLES, type Role } from '../../shared/roles';
import type { BatchState, StaffMember } from './batch-state';
import type { DecideContext } from './plan';
import type { WireRow } from './rows';

// Permission ids are stable (uuid v5 of the key) on every server and workstation.
const PERMISSION_BY_ID = new Map(PERMISSION_KEYS.map((key) => [permissionId(key), key]));

const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

function heldBy(member: StaffMember, now: Date): ReadonlySet<string> {
  member.held ??= effectivePermissions(
    member.role,
    member.grants.flatMap((grant) =>
      isPermission(grant.permission)
        ? [{ permission: grant.permission, expiresAt: grant.expiresAt }]
        : [],
    ),
    now,
  );
  return member.held;
}

function userChanges(op: Mutation['op'], changes: Record<string, unknown>): AccountChange[] {
  if (op === 'delete') return [{ kind: 'set_active', active: false }];
  return Object.entries(changes).map(([field, value]): AccountChange => {
    if (field === 'role' && isRole(value)) return { kind: 'set_role', role: value };
    if (field === 'active') return { kind: 'set_active', active: value === true };
    if (field === 'failedLoginCount' || field === 'lockedUntil') return { kind: 'unlock' };
    return { kind: 'edit' };
  });
}

interface Judged {
  target: AccountTarget;
  changes: AccountChange[];
  /** The grant a passing insert adds, so a second one in the same batch is a duplicate. */
  adds?: { member: StaffMember; permission: string; expiresAt: string | null };
}

const notFound: Reason = {
  code: 'forbidden',
  message: 'This change names a staff account that does not exist on the server.',
};

function judgeGrant(
  state: BatchState,
  mutation: Mutation,
  before: WireRow | undefined,
  changes: Record<string, unknown>,
): Judged | Reason {
  const row = { ...before, ...changes };
  const member = typeof row.userId === 'string' ? state.staff.get(row.userId) : undefined;
  if (!member) return notFound;
  const target = { userId: member.id, role: member.role };
  if (mutation.op === 'delete') return { target, changes: [{ kind: 'revoke' }] };
  const permission =
    typeof row.permissionId === 'string'
      ? (PERMISSION_BY_ID.get(row.permissionId) ?? row.permissionId)
      : '';
  const expiresAt = typeof row.expiresAt === 'string' ? row.expiresAt : null;
  // An edit of an existing grant is judged like a new one, without counting itself twice.
  const existing = mutation.op === 'insert' ? member.grants : [];
  return {
    target,
    changes: [{ kind: 'grant', permission, expiresAt, existing }],
    ...(mutation.op === 'insert' ? { adds: { member, permission, expiresAt } } : {}),
  };
}

function judgeUser(
  mutation: Mutation,
  before: WireRow | undefined,
  changes: Record<string, unknown>,
): Judged | Reason {
  const role = before ? before.role : changes.role;
  if (!isRole(role)) return { code: 'validation', message: 'role: not a Wardline role.' };
  if ('credentialVersion' in changes && mutation.op !== 'insert')
    return {
      code: 'forbidden',
      message:
        'A password version changes only with a password change or reset on the server, never by a push.',
    };
  const target = { userId: mutation.id, role };
  // A new account is judged by the role it is given.
  if (mutation.op === 'insert') return { target, changes: [{ kind: 'set_role', role }] };
  return { target, changes: userChanges(mutation.op, changes) };
}

/**
 * The first account rule a mutation of a staff account (`subject: 'account'`, the users table)
 * or of a direct grant (`'grant'`, user_permissions) breaks, as a rejection reason, or null.
 * `before` is the current row (none for an insert); `changes` the fields it sets.
 */
export function checkAccountMutation(
  subject: 'account' | 'grant',
  state: BatchState,
  mutation: Mutation,
  before: WireRow | undefined,
  changes: Record<string, unknown>,
  serverNow: Date,
): Reason | null {
  const member = state.staff.get(mutation.userId);
  if (!member) return notFound;
  const actor: AccountActor = {
    userId: member.id,
    role: member.role,
    held: heldBy(member, serverNow),
  };
  const judged =
    subject === 'account'
      ? judgeUser(mutation, before, changes)
      : judgeGrant(state, mutation, before, changes);
  if (!('target' in judged)) return judged;
  // A grant made offline is judged at the time it was made (never later than now): its expiry
  // was in the future then, and a lapsed grant grants nothing anyway.
  const madeAt = new Date(Math.min(Date.parse(mutation.clientTime), serverNow.getTime()));
  for (const change of judged.changes) {
    const broken = checkAccountChange(actor, judged.target, change, madeAt);
    if (broken) return { code: 'forbidden', message: broken.message };
  }
  if (judged.adds) {
    judged.adds.member.grants.push({
      permission: judged.adds.permission,
      expiresAt: judged.adds.expiresAt,
    });
    delete judged.adds.member.held;
  }
  return null;
}

/**
 * An administrator's unlock (the Admin screen's, a users update clearing the lock fields): the
 * server's run of failures and lockouts for that account is forgotten with it, once the row is
 * written (server/auth/lockout.ts clearSignInLocks).
 */
export function noteUnlock(ctx: DecideContext, mutation: Mutation, row: WireRow): void {
  const { data } = mutation;
  const clears =
    ('lockedUntil' in data && data.lockedUntil === null) ||
    ('failedLoginCount' in data && data.failedLoginCount === 0);
  if (mutation.op === 'update' && clears && row.lockedUntil === null) ctx.plan.unlocks.add(row.id);
}

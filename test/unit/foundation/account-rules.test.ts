import { describe, expect, test } from 'vitest';
import {
  assignableRoles,
  checkAccountChange,
  grantablePermissions,
  type AccountActor,
  type ActiveGrant,
  type AccountChange,
  type AccountRuleCode,
} from '../../../shared/account-rules';
import { PERMISSION_KEYS } from '../../../shared/permissions';
import { effectivePermissions, type Role } from '../../../shared/roles';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const TOMORROW = '2026-11-24T12:00:00.000Z';
const YESTERDAY = '2026-11-22T12:00:00.000Z';

const actorOf = (
  role: Role,
  userId = `${role}-id`,
  extra: { permission: 'lab_tests:accept'; expiresAt: null }[] = [],
): AccountActor => ({
  userId,
  role,
  held: effectivePermissions(role, extra, NOW),
});

const superAdmin = actorOf('super_admin');
const regional = actorOf('regional_admin');
const nurse = { userId: 'nurse-id', role: 'nurse' as const };
const otherSuper = { userId: 'other-super', role: 'super_admin' as const };
const grant = (
  permission: string,
  expiresAt: string | null = null,
  existing: ActiveGrant[] = [],
): AccountChange => ({
  kind: 'grant',
  permission,
  expiresAt,
  existing,
});

describe('account rules', () => {
  const cases: [
    string,
    AccountActor,
    { userId: string; role: Role },
    AccountChange,
    AccountRuleCode | null,
  ][] = [
    [
      'super admin makes a nurse a doctor',
      superAdmin,
      nurse,
      { kind: 'set_role', role: 'doctor' },
      null,
    ],
    [
      'super admin makes a nurse a super admin',
      superAdmin,
      nurse,
      { kind: 'set_role', role: 'super_admin' },
      null,
    ],
    [
      'regional admin cannot make a nurse a manager (beds:manage, inventory:adjust)',
      regional,
      nurse,
      { kind: 'set_role', role: 'manager' },
      'role_escalation',
    ],
    [
      'regional admin cannot make a nurse a doctor (clinical permissions)',
      regional,
      nurse,
      { kind: 'set_role', role: 'doctor' },
      'role_escalation',
    ],
    [
      'regional admin may make a nurse a patient (no permissions)',
      regional,
      nurse,
      { kind: 'set_role', role: 'patient' },
      null,
    ],
    [
      'regional admin cannot create a super admin',
      regional,
      nurse,
      { kind: 'set_role', role: 'super_admin' },
      'super_admin_only',
    ],
    [
      'regional admin cannot touch a super admin',
      regional,
      otherSuper,
      { kind: 'set_active', active: false },
      'super_admin_only',
    ],
    [
      'regional admin cannot unlock a super admin',
      regional,
      otherSuper,
      { kind: 'unlock' },
      'super_admin_only',
    ],
    [
      'super admin deactivates another super admin',
      superAdmin,
      otherSuper,
      { kind: 'set_active', active: false },
      null,
    ],
    [
      'nobody changes their own role',
      superAdmin,
      { userId: superAdmin.userId, role: 'super_admin' },
      { kind: 'set_role', role: 'nurse' },
      'self_change',
    ],
    [
      'nobody deactivates themselves',
      regional,
      { userId: regional.userId, role: 'regional_admin' },
      { kind: 'set_active', active: false },
      'self_change',
    ],
    [
      'nobody grants themselves anything',
      regional,
      { userId: regional.userId, role: 'regional_admin' },
      grant('audit:read'),
      'self_change',
    ],
    [
      'revoking one’s own grant is allowed',
      regional,
      { userId: regional.userId, role: 'regional_admin' },
      { kind: 'revoke' },
      null,
    ],
    ['regional admin grants what they hold', regional, nurse, grant('audit:read', TOMORROW), null],
    [
      'regional admin cannot grant what they lack',
      regional,
      nurse,
      grant('lab_tests:accept'),
      'grant_escalation',
    ],
    [
      'a direct grant counts as held',
      actorOf('regional_admin', 'r2', [{ permission: 'lab_tests:accept', expiresAt: null }]),
      nurse,
      grant('lab_tests:accept'),
      null,
    ],
    ['super admin grants anything', superAdmin, nurse, grant('lab_tests:accept', TOMORROW), null],
    ['unknown permission', superAdmin, nurse, grant('beds:steal'), 'unknown_permission'],
    [
      'expiry in the past',
      superAdmin,
      nurse,
      grant('lab_tests:accept', YESTERDAY),
      'grant_expiry_past',
    ],
    [
      'expiry exactly now',
      superAdmin,
      nurse,
      grant('lab_tests:accept', NOW.toISOString()),
      'grant_expiry_past',
    ],
    [
      'same permission twice while active',
      superAdmin,
      nurse,
      grant('lab_tests:accept', null, [{ permission: 'lab_tests:accept', expiresAt: TOMORROW }]),
      'grant_duplicate',
    ],
    [
      'again once the first expired',
      superAdmin,
      nurse,
      grant('lab_tests:accept', null, [{ permission: 'lab_tests:accept', expiresAt: YESTERDAY }]),
      null,
    ],
    [
      'another permission beside an active one',
      superAdmin,
      nurse,
      grant('lab_tests:start', null, [{ permission: 'lab_tests:accept', expiresAt: null }]),
      null,
    ],
  ];

  test.each(cases)('%s', (_name, actor, target, change, expected) => {
    expect(checkAccountChange(actor, target, change, NOW)?.code ?? null).toBe(expected);
  });

  test('every breach carries a sentence', () => {
    const breach = checkAccountChange(regional, otherSuper, { kind: 'unlock' }, NOW);
    expect(breach?.message).toMatch(/super administrator/);
  });
});

describe('what an actor may hand out', () => {
  test('a super admin may assign every role and grant every permission', () => {
    expect(assignableRoles(superAdmin)).toContain('super_admin');
    expect(grantablePermissions(superAdmin)).toEqual(PERMISSION_KEYS);
  });

  test('a regional admin may assign only roles inside their own permissions', () => {
    expect(assignableRoles(regional)).toEqual(['regional_admin', 'patient']);
    expect(grantablePermissions(regional)).toContain('users:manage');
    expect(grantablePermissions(regional)).not.toContain('mar:administer');
  });
});

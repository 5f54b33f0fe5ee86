import { describe, expect, it } from 'vitest';
import { PERMISSION_KEYS, isPermission } from '../../../shared/permissions';
import {
  ROLES,
  effectivePermissions,
  permissionsOfRole,
  roleHasPermission,
} from '../../../shared/roles';

describe('the role table', () => {
  it('names only permissions of the catalog, each once', () => {
    for (const role of ROLES) {
      const granted = permissionsOfRole(role);
      expect(granted.every(isPermission), role).toBe(true);
      expect(new Set(granted).size, role).toBe(granted.length);
    }
  });

  it('gives the super administrator everything and the patient role nothing', () => {
    expect(permissionsOfRole('super_admin')).toEqual(PERMISSION_KEYS);
    expect(permissionsOfRole('patient')).toEqual([]);
  });

  it('keeps the MAR from lab technicians and discharge from nurses', () => {
    expect(roleHasPermission('lab_tech', 'mar:read')).toBe(false);
    expect(roleHasPermission('nurse', 'mar:administer')).toBe(true);
    expect(roleHasPermission('nurse', 'visits:discharge')).toBe(false);
    expect(roleHasPermission('doctor', 'visits:discharge')).toBe(true);
  });

  it('adds direct grants until they expire', () => {
    const now = new Date('2026-11-23T12:00:00.000Z');
    const grants = [
      { permission: 'inventory:adjust' as const, expiresAt: '2026-11-24T00:00:00.000Z' },
      { permission: 'mar:administer' as const, expiresAt: '2026-11-23T11:59:59.000Z' },
      { permission: 'audit:read' as const, expiresAt: null },
    ];
    const effective = effectivePermissions('lab_tech', grants, now);
    expect(effective.has('inventory:adjust')).toBe(true);
    expect(effective.has('audit:read')).toBe(true);
    expect(effective.has('mar:administer')).toBe(false);
    expect(effective.has('lab_tests:complete')).toBe(true);
  });
});

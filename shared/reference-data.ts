import { v5 as uuidv5 } from 'uuid';
import { PERMISSIONS, PERMISSION_KEYS } from './permissions';
import { ROLES, ROLE_LABELS, permissionsOfRole } from './roles';

/** Namespace for ids that must be identical on every server and workstation. */
const WARDLINE_NAMESPACE = '6f1c2a4e-8d3b-5e7f-9a0b-1c2d3e4f5a6b';

/** A stable id for catalog and demo rows: the same name gives the same id everywhere. */
export function stableId(kind: string, name: string): string {
  return uuidv5(`${kind}:${name}`, WARDLINE_NAMESPACE);
}

export const roleId = (role: string) => stableId('role', role);
export const permissionId = (permission: string) => stableId('permission', permission);

/**
 * The catalog rows (roles, permissions, role_permissions) in wire shape, without the sync
 * columns the stores fill in. Every database loads them at start.
 */
export function referenceRows() {
  return {
    roles: ROLES.map((name) => ({
      id: roleId(name),
      hospitalId: null,
      name,
      description: ROLE_LABELS[name],
    })),
    permissions: PERMISSION_KEYS.map((key) => ({
      id: permissionId(key),
      hospitalId: null,
      key,
      description: PERMISSIONS[key],
    })),
    role_permissions: ROLES.flatMap((role) =>
      permissionsOfRole(role).map((permission) => ({
        id: stableId('role_permission', `${role}/${permission}`),
        hospitalId: null,
        roleId: roleId(role),
        permissionId: permissionId(permission),
      })),
    ),
  };
}

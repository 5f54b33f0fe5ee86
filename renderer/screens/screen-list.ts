/**
 * The screens of the navigation, each with the permission that makes it appear and its
 * Alt+digit shortcut. A screen the user cannot use is not listed at all.
 */
import type { Permission } from '../../shared/permissions';
import type { Role } from '../../shared/roles';
import type { ScreenId } from '../stores/nav-store';

export interface ScreenEntry {
  id: ScreenId;
  label: string;
  permission: Permission;
}

export const NAV_SCREENS: readonly ScreenEntry[] = [
  { id: 'ward', label: 'Ward board', permission: 'visits:read' },
  { id: 'alerts', label: 'Alerts', permission: 'clinical_alerts:read' },
  { id: 'reception', label: 'Reception', permission: 'patients:read' },
  { id: 'lab', label: 'Lab queue', permission: 'lab_tests:accept' },
  { id: 'pharmacy', label: 'Pharmacy', permission: 'prescriptions:read' },
  { id: 'inventory', label: 'Inventory', permission: 'inventory:read' },
  { id: 'admin', label: 'Admin', permission: 'users:read' },
  { id: 'sync', label: 'Sync', permission: 'sync:read' },
  { id: 'devices', label: 'Devices', permission: 'devices:manage' },
  { id: 'access', label: 'Access report', permission: 'audit:read' },
  { id: 'break-glass', label: 'Break-glass review', permission: 'audit:read' },
];

/** Where each role starts: the desk's own screen rather than the first in the list. */
const HOME: Partial<Record<Role, ScreenId>> = {
  reception: 'reception',
  lab_tech: 'lab',
  pharmacist: 'pharmacy',
};

export function homeScreen(role: Role, permissions: ReadonlySet<Permission>): ScreenId | null {
  const screens = allowedScreens(permissions);
  const preferred = HOME[role];
  if (preferred && screens.some((screen) => screen.id === preferred)) return preferred;
  return screens[0]?.id ?? null;
}

export function allowedScreens(permissions: ReadonlySet<Permission>): ScreenEntry[] {
  return NAV_SCREENS.filter((screen) => permissions.has(screen.permission));
}

/**
 * The screens of the navigation, each with the permission that makes it appear and its
 * Alt+digit shortcut. A screen the user cannot use is not listed at all.
 */
import type { Permission } from '../../shared/permissions';
import type { ScreenId } from '../stores/nav-store';

export interface ScreenEntry {
  id: ScreenId;
  label: string;
  permission: Permission;
}

export const NAV_SCREENS: readonly ScreenEntry[] = [
  { id: 'ward', label: 'Ward board', permission: 'visits:read' },
  { id: 'reception', label: 'Reception', permission: 'patients:read' },
];

export function allowedScreens(permissions: ReadonlySet<Permission>): ScreenEntry[] {
  return NAV_SCREENS.filter((screen) => permissions.has(screen.permission));
}

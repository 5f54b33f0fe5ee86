import type { ReactNode } from 'react';
import type { Permission } from '../../shared/permissions';
import { useCan } from '../session/use-session';

/** Renders its children only when the user holds `permission`: an action a user lacks is absent, not disabled. */
export function Can({ permission, children }: { permission: Permission; children: ReactNode }) {
  return useCan(permission) ? children : null;
}

/** Who is at the workstation and what they may do: the `auth.session` answer, shared by every screen. */
import { useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { isPermission, type Permission } from '../../shared/permissions';
import type { Role } from '../../shared/roles';
import { useTRPC } from '../trpc/client';

export function useSessionQuery() {
  const trpc = useTRPC();
  // Polling notices an idle lock the main process applied while nobody touched the screen.
  return useQuery(
    trpc.auth.session.queryOptions(undefined, { refetchInterval: 15_000, staleTime: 0 }),
  );
}

export interface ActiveUser {
  sessionId: string;
  id: string;
  fullName: string;
  email: string;
  role: Role;
  mode: 'online' | 'offline';
  /** When the main process will lock the workstation if nobody touches it. */
  locksAt: string;
  permissions: ReadonlySet<Permission>;
}

export const ActiveUserContext = createContext<ActiveUser | null>(null);

/** The signed-in user; only screens inside the signed-in shell call this. */
export function useActiveUser(): ActiveUser {
  const user = useContext(ActiveUserContext);
  if (!user) throw new Error('useActiveUser outside the signed-in shell');
  return user;
}

export function useCan(permission: Permission): boolean {
  return useActiveUser().permissions.has(permission);
}

export function toPermissionSet(permissions: readonly string[]): ReadonlySet<Permission> {
  return new Set(permissions.filter(isPermission));
}

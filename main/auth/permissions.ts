import { and, eq, isNull } from 'drizzle-orm';
import { permissions, userPermissions, users } from '../../db/local/schema';
import { isPermission, type Permission } from '../../shared/permissions';
import { effectivePermissions, type DirectGrant } from '../../shared/roles';
import type { ReplicaReader } from '../services/replica-reader';

/** Role permissions plus unexpired direct grants, read fresh so a revoked grant stops at once. */
export function loadPermissions(db: ReplicaReader, userId: string, now: Date): Set<Permission> {
  const user = db
    .select({ role: users.role, active: users.active })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!user?.active) return new Set();
  const grants = db
    .select({ key: permissions.key, expiresAt: userPermissions.expiresAt })
    .from(userPermissions)
    .innerJoin(permissions, eq(permissions.id, userPermissions.permissionId))
    .where(and(eq(userPermissions.userId, userId), isNull(userPermissions.deletedAt)))
    .all()
    .flatMap((grant): DirectGrant[] =>
      isPermission(grant.key) ? [{ permission: grant.key, expiresAt: grant.expiresAt }] : [],
    );
  return effectivePermissions(user.role, grants, now);
}

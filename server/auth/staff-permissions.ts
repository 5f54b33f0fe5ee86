import type pg from 'pg';
import { isPermission, type Permission } from '../../shared/permissions';
import { effectivePermissions, type Role } from '../../shared/roles';

type Queryable = Pick<pg.Pool, 'query'>;

export interface StaffStanding {
  id: string;
  hospitalId: string | null;
  active: boolean;
  permissions: ReadonlySet<Permission>;
}

/** A person's account as the server holds it now: role permissions plus unexpired grants. */
export async function loadStaffStanding(
  db: Queryable,
  userId: string,
  now: Date,
): Promise<StaffStanding | null> {
  const found = await db.query<{
    id: string;
    hospital_id: string | null;
    role: Role;
    active: boolean;
  }>(
    `select id, hospital_id, role, active and deleted_at is null as active from users where id = $1`,
    [userId],
  );
  const user = found.rows[0];
  if (!user) return null;
  const grants = await db.query<{ key: string; expires_at: string | null }>(
    `select p.key, to_char(g.expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as expires_at
       from user_permissions g join permissions p on p.id = g.permission_id
      where g.user_id = $1 and g.deleted_at is null`,
    [userId],
  );
  const direct = grants.rows.flatMap((grant) =>
    isPermission(grant.key) ? [{ permission: grant.key, expiresAt: grant.expires_at }] : [],
  );
  return {
    id: user.id,
    hospitalId: user.hospital_id,
    active: user.active,
    permissions: user.active ? effectivePermissions(user.role, direct, now) : new Set(),
  };
}

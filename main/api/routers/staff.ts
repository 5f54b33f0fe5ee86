/**
 * Staff accounts for the admin screen: the hospital's staff and the role table to read
 * (a manager sees them), and the account changes only `users:manage` may make.
 */
import { z } from 'zod';
import { assignableRoles, grantablePermissions } from '../../../shared/account-rules';
import { IdSchema } from '../../../shared/schemas/common';
import {
  changeRole,
  ChangeRoleInput,
  grantPermission,
  GrantPermissionInput,
  listPermissionCatalog,
  listRoles,
  listStaff,
  revokeGrant,
  RevokeGrantInput,
  setAccountActive,
  SetActiveInput,
  unlockAccount,
  UnlockAccountInput,
} from '../../services/staff-accounts';
import { resetStaffPassword } from '../../auth/password-reset';
import { LoginHistoryInput, loginHistoryOf } from '../../services/login-history';
import {
  assignWard,
  setWardAssignment,
  unassignWard,
  WardAssignmentInput,
  wardsOf,
} from '../../services/access-scope';
import { permissionProcedure, reauthProcedure, router } from '../trpc';

export const staffRouter = router({
  list: permissionProcedure('users:read').query(({ ctx }) => {
    const actor = {
      userId: ctx.session.user.id,
      role: ctx.session.user.role,
      held: ctx.permissions,
    };
    return {
      staff: listStaff(ctx.db, ctx.actor.hospitalId, ctx.clock.now()),
      // What this person may hand out, so the screen offers nothing the rules would refuse.
      assignableRoles: assignableRoles(actor),
      grantablePermissions: grantablePermissions(actor),
      canManage: ctx.permissions.has('users:manage'),
    };
  }),
  roles: permissionProcedure('roles:read').query(({ ctx }) => ({
    roles: listRoles(ctx.db),
    permissions: listPermissionCatalog(ctx.db),
  })),
  changeRole: reauthProcedure('users:manage', 'staff.change_role')
    .input(ChangeRoleInput)
    .mutation(({ ctx, input }) => changeRole(ctx, input)),
  setActive: permissionProcedure('users:manage')
    .input(SetActiveInput)
    .mutation(({ ctx, input }) => setAccountActive(ctx, input)),
  unlock: permissionProcedure('users:manage')
    .input(UnlockAccountInput)
    .mutation(({ ctx, input }) => unlockAccount(ctx, input)),
  grant: reauthProcedure('users:manage', 'staff.grant')
    .input(GrantPermissionInput)
    .mutation(({ ctx, input }) => grantPermission(ctx, input)),
  revoke: reauthProcedure('users:manage', 'staff.revoke')
    .input(RevokeGrantInput)
    .mutation(({ ctx, input }) => revokeGrant(ctx, input)),
  /**
   * Online only, after the password again; the temporary password is in this answer and nowhere
   * else.
   */
  resetPassword: reauthProcedure('users:manage', 'staff.reset_password')
    .input(LoginHistoryInput)
    .mutation(({ ctx, input }) => resetStaffPassword(ctx, input.userId)),
  /** The wards a person is assigned to (used when the hospital turns ward assignment on). */
  wards: permissionProcedure('users:read')
    .input(LoginHistoryInput)
    .query(({ ctx, input }) => ({ wards: wardsOf(ctx.db, input.userId) })),
  assignWard: reauthProcedure('users:manage', 'staff.grant')
    .input(WardAssignmentInput)
    .mutation(({ ctx, input }) => assignWard(ctx, input)),
  unassignWard: reauthProcedure('users:manage', 'staff.revoke')
    .input(z.object({ assignmentId: IdSchema }))
    .mutation(({ ctx, input }) => unassignWard(ctx, input.assignmentId)),
  /** Ward assignment on or off for this hospital (off: everyone keeps the hospital-wide view). */
  setWardAssignment: permissionProcedure('hospitals:manage')
    .input(z.object({ enabled: z.boolean() }))
    .mutation(({ ctx, input }) => setWardAssignment(ctx, input.enabled)),
  /** This workstation's sign-ins of one person (the server's history does not sync). */
  loginHistory: permissionProcedure('audit:read')
    .input(LoginHistoryInput)
    .query(({ ctx, input }) => ({ entries: loginHistoryOf(ctx.db, input.userId) })),
});

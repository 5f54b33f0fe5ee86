import { z } from 'zod';
import { PERMISSION_KEYS } from '../permissions';
import { ROLES } from '../roles';
import { IdSchema, SyncColumnsSchema, TimestampSchema, textField } from './common';

export const RoleNameSchema = z.enum(ROLES);
export const PermissionKeySchema = z.enum(PERMISSION_KEYS as [string, ...string[]]);

export const RoleFieldsSchema = z.object({ name: RoleNameSchema, description: textField(200) });
export const RoleSchema = SyncColumnsSchema.extend(RoleFieldsSchema.shape);

export const PermissionFieldsSchema = z.object({
  key: PermissionKeySchema,
  description: textField(200),
});
export const PermissionSchema = SyncColumnsSchema.extend(PermissionFieldsSchema.shape);

export const RolePermissionFieldsSchema = z.object({ roleId: IdSchema, permissionId: IdSchema });
export const RolePermissionSchema = SyncColumnsSchema.extend(RolePermissionFieldsSchema.shape);

export const UserFieldsSchema = z.object({
  email: z.email().trim().toLowerCase().max(254),
  fullName: textField(160),
  role: RoleNameSchema,
  regionId: IdSchema.nullable(),
  active: z.boolean(),
  failedLoginCount: z.number().int().nonnegative(),
  lockedUntil: TimestampSchema.nullable(),
  lastLoginAt: TimestampSchema.nullable(),
});
export const UserSchema = SyncColumnsSchema.extend(UserFieldsSchema.shape);
export type User = z.infer<typeof UserSchema>;

export const UserPermissionFieldsSchema = z.object({
  userId: IdSchema,
  permissionId: IdSchema,
  grantedBy: IdSchema.nullable(),
  expiresAt: TimestampSchema.nullable(),
  reason: z.string().trim().max(500).nullable(),
});
export const UserPermissionSchema = SyncColumnsSchema.extend(UserPermissionFieldsSchema.shape);
export type UserPermission = z.infer<typeof UserPermissionSchema>;

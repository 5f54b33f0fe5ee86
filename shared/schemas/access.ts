import { z } from 'zod';
import { permissions, rolePermissions, roles, userPermissions, users } from '../catalog/access';
import { PERMISSION_KEYS } from '../permissions';
import { ROLES } from '../roles';
import { SyncColumnsSchema } from './common';

export const RoleNameSchema = z.enum(ROLES);
export const PermissionKeySchema = z.enum(PERMISSION_KEYS as [string, ...string[]]);

// Derived from the catalog entries (shared/catalog/access.ts).
export const RoleFieldsSchema = roles.fields;
export const RoleSchema = SyncColumnsSchema.extend(RoleFieldsSchema.shape);

export const PermissionFieldsSchema = permissions.fields;
export const PermissionSchema = SyncColumnsSchema.extend(PermissionFieldsSchema.shape);

export const RolePermissionFieldsSchema = rolePermissions.fields;
export const RolePermissionSchema = SyncColumnsSchema.extend(RolePermissionFieldsSchema.shape);

export const UserFieldsSchema = users.fields;
export const UserSchema = SyncColumnsSchema.extend(UserFieldsSchema.shape);
export type User = z.infer<typeof UserSchema>;

export const UserPermissionFieldsSchema = userPermissions.fields;
export const UserPermissionSchema = SyncColumnsSchema.extend(UserPermissionFieldsSchema.shape);
export type UserPermission = z.infer<typeof UserPermissionSchema>;

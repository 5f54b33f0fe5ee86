import { PERMISSION_KEYS, type Permission } from './permissions';

export const ROLES = [
  'super_admin',
  'regional_admin',
  'manager',
  'doctor',
  'nurse',
  'lab_tech',
  'pharmacist',
  'reception',
  'patient',
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  super_admin: 'Super administrator',
  regional_admin: 'Regional administrator',
  manager: 'Hospital manager',
  doctor: 'Doctor',
  nurse: 'Nurse',
  lab_tech: 'Lab technician',
  pharmacist: 'Pharmacist',
  reception: 'Reception',
  patient: 'Patient',
};

/**
 * Who may do what. This table is reviewed by clinical leads: a change here changes what every
 * workstation and the server allow, so keep it in one place and keep it readable.
 *
 * Deliberate choices worth knowing:
 * - Only doctors discharge and prescribe; nurses admit and transfer (bed moves at night).
 * - Lab technicians never see the MAR or prescriptions.
 * - Administrators manage people and devices but do not chart clinical entries.
 * - The patient role exists for the portal, which Wardline does not serve: it grants nothing.
 * - Merging duplicate patient records (`patients:merge`) moves a whole history from one record
 *   to another and cannot be undone from a workstation, so it is not everyday reception work:
 *   the hospital manager holds it (the nearest role to a reception or records lead; there is no
 *   such role), and super administrators hold everything. A reception lead gets it as a direct
 *   grant on the Admin screen.
 * - Reception reads and acknowledges clinical alerts: bed clashes, duplicate registrations and
 *   double-booked slots are theirs to sort out (which kinds each inbox lists:
 *   shared/clinical-alerts.ts).
 */
// Grouped by area, one line each, so reviewers can read it as a table.
// prettier-ignore
const ROLE_PERMISSIONS: Record<Role, readonly Permission[] | 'all'> = {
  super_admin: 'all',
  regional_admin: [
    'hospitals:read', 'hospitals:manage', 'wards:read', 'beds:read', 'beds:manage',
    'users:read', 'users:manage', 'roles:read', 'audit:read', 'devices:manage',
    'patients:restrict',
    'patients:read', 'visits:read', 'emr_global:read', 'inventory:read',
    'clinical_alerts:read', 'notifications:read', 'sync:read', 'sync:resolve',
  ],
  manager: [
    'hospitals:read', 'wards:read', 'beds:read', 'beds:manage',
    'users:read', 'roles:read', 'audit:read', 'devices:manage',
    'patients:read', 'patients:merge', 'visits:read', 'appointments:read',
    'inventory:read', 'inventory:adjust',
    'clinical_alerts:read', 'clinical_alerts:acknowledge', 'notifications:read',
    'sync:read', 'sync:resolve',
  ],
  doctor: [
    'wards:read', 'beds:read',
    'patients:read', 'patients:create', 'patients:update',
    'visits:read', 'visits:admit', 'visits:transfer', 'visits:discharge',
    'vitals:read', 'vitals:create', 'nurse_logs:read', 'nurse_logs:create',
    'lab_tests:read', 'lab_tests:order', 'lab_tests:cancel',
    'prescriptions:read', 'prescriptions:create', 'prescriptions:update', 'mar:read',
    'appointments:read', 'emr:read', 'emr:write', 'emr_global:read',
    'ai_drafts:read', 'ai_drafts:review',
    'clinical_alerts:read', 'clinical_alerts:acknowledge', 'notifications:read',
    'sync:read', 'sync:resolve',
    'attachments:read', 'attachments:add',
  ],
  nurse: [
    'wards:read', 'beds:read',
    'patients:read', 'patients:update',
    'visits:read', 'visits:admit', 'visits:transfer',
    'vitals:read', 'vitals:create', 'nurse_logs:read', 'nurse_logs:create',
    'lab_tests:read', 'lab_tests:order',
    'prescriptions:read', 'mar:read', 'mar:administer',
    'appointments:read', 'emr:read', 'inventory:read', 'ai_drafts:read',
    'clinical_alerts:read', 'clinical_alerts:acknowledge', 'notifications:read',
    'sync:read', 'sync:resolve',
    'attachments:read', 'attachments:add',
  ],
  lab_tech: [
    'wards:read', 'patients:read',
    'lab_tests:read', 'lab_tests:accept', 'lab_tests:start', 'lab_tests:complete',
    'lab_tests:cancel', 'inventory:read', 'notifications:read', 'sync:read', 'sync:resolve',
    'attachments:read', 'attachments:add',
  ],
  pharmacist: [
    'wards:read', 'patients:read', 'visits:read',
    'prescriptions:read', 'prescriptions:update', 'mar:read',
    'inventory:read', 'inventory:adjust',
    'clinical_alerts:read', 'clinical_alerts:acknowledge', 'notifications:read',
    'sync:read', 'sync:resolve',
  ],
  reception: [
    'wards:read', 'beds:read',
    'patients:read', 'patients:create', 'patients:update',
    'visits:read', 'visits:admit',
    'appointments:read', 'appointments:manage',
    'clinical_alerts:read', 'clinical_alerts:acknowledge',
    'notifications:read', 'sync:read', 'sync:resolve',
  ],
  patient: [],
};

export function permissionsOfRole(role: Role): readonly Permission[] {
  const granted = ROLE_PERMISSIONS[role];
  return granted === 'all' ? PERMISSION_KEYS : granted;
}

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return permissionsOfRole(role).includes(permission);
}

export interface DirectGrant {
  permission: Permission;
  /** ISO timestamp; null means the grant does not expire. */
  expiresAt: string | null;
}

/** A user's effective permissions: those of the role plus the direct grants not yet expired. */
export function effectivePermissions(
  role: Role,
  grants: readonly DirectGrant[],
  now: Date,
): Set<Permission> {
  const effective = new Set<Permission>(permissionsOfRole(role));
  for (const grant of grants) {
    if (grant.expiresAt === null || Date.parse(grant.expiresAt) > now.getTime()) {
      effective.add(grant.permission);
    }
  }
  return effective;
}

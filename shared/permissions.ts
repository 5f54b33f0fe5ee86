/**
 * The permission catalog: every `resource:action` Wardline checks. A tRPC procedure or an HTTP
 * route names one of these; nothing else may be granted or checked.
 */
export const PERMISSIONS = {
  'patients:read': 'View patient demographics and search patients',
  'patients:create': 'Register a patient',
  'patients:update': 'Edit patient demographics and allergies',
  'patients:merge': "Merge a duplicate patient record into the person's other record",
  'visits:read': 'View admissions and the ward board',
  'visits:admit': 'Admit a patient to a ward and bed',
  'visits:transfer': 'Move an admitted patient to another ward or bed',
  'visits:discharge': 'Discharge a patient and write the discharge summary',
  'beds:read': 'View beds and their status',
  'beds:manage': 'Set bed status (maintenance, reserved)',
  'wards:read': 'View wards',
  'vitals:read': 'View vital signs',
  'vitals:create': 'Record vital signs and mark entries as entered in error',
  'nurse_logs:read': 'View nurse logs and handoff notes',
  'nurse_logs:create': 'Write nurse logs and handoff notes',
  'lab_tests:read': 'View lab orders and results',
  'lab_tests:order': 'Order a lab test',
  'lab_tests:accept': 'Accept a lab order into the lab queue',
  'lab_tests:start': 'Start work on an accepted lab test',
  'lab_tests:complete': 'Complete a lab test with its result',
  'lab_tests:cancel': 'Cancel a lab order',
  'prescriptions:read': 'View prescriptions',
  'prescriptions:create': 'Prescribe a medication',
  'prescriptions:update': 'Change or discontinue a prescription',
  'mar:read': 'View the medication administration record',
  'mar:administer': 'Chart a dose as given, held or refused',
  'appointments:read': 'View appointments',
  'appointments:manage': 'Book, check in and cancel appointments',
  'inventory:read': 'View inventory',
  'inventory:adjust': 'Record stock received, dispensed, expired or adjusted',
  'emr:read': "Read a visit's local EMR record",
  'emr:write': "Write a visit's local EMR record",
  'emr_global:read': "Read a patient's cross-facility EMR",
  'ai_drafts:read': 'View AI drafts',
  'ai_drafts:review': 'Approve or reject an AI draft',
  'clinical_alerts:read': 'View clinical alerts',
  'clinical_alerts:acknowledge': 'Acknowledge a clinical alert',
  'notifications:read': 'View notifications',
  'users:read': 'View staff accounts',
  'users:manage': 'Create, edit and deactivate staff accounts and direct grants',
  'roles:read': 'View roles and their permissions',
  'audit:read': 'Read the audit log',
  'devices:manage': 'Enroll and revoke workstations',
  'sync:read': "View this workstation's sync status",
  'sync:resolve': 'Resolve sync conflicts and items needing attention',
  'hospitals:read': 'View regions and hospitals',
  'hospitals:manage': 'Create and edit regions, hospitals and wards',
  'patients:restrict': "Mark a patient's record restricted (opened only by break-glass)",
  'attachments:read': 'Open lab reports and images attached to a chart',
  'attachments:add': 'Attach a lab report or image to a lab test or EMR entry',
} as const satisfies Record<string, string>;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_KEYS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

export function splitPermission(permission: Permission): { resource: string; action: string } {
  const [resource = '', action = ''] = permission.split(':');
  return { resource, action };
}

/**
 * Which permissions a pushed mutation needs, by table, op and what it changes. Pure, so the
 * workstation can grey out what the server would refuse, and both sides read the same table.
 */
import type { Permission } from './permissions';

export type MutationKind = 'insert' | 'update' | 'delete';

export interface MutationChange {
  table: string;
  op: MutationKind;
  /** The row before the change (update, delete); undefined for an insert. */
  before?: Readonly<Record<string, unknown>>;
  /** The fields the mutation sets (insert: the whole row; update: the changed fields). */
  changes: Readonly<Record<string, unknown>>;
}

const changed = (change: MutationChange, field: string) =>
  Object.hasOwn(change.changes, field) && change.changes[field] !== change.before?.[field];

function visitPermissions(change: MutationChange): Permission[] {
  if (change.op === 'insert') return ['visits:admit'];
  if (change.op === 'delete') return ['visits:admit'];
  const needed = new Set<Permission>();
  const status = change.changes.status;
  if (changed(change, 'status') && status === 'discharged') needed.add('visits:discharge');
  if (changed(change, 'status') && status === 'cancelled') needed.add('visits:admit');
  if (changed(change, 'dischargeSummary') || changed(change, 'dischargedAt'))
    needed.add('visits:discharge');
  if (changed(change, 'wardId') || changed(change, 'bedId')) needed.add('visits:transfer');
  const other = Object.keys(change.changes).filter(
    (field) => !['status', 'dischargeSummary', 'dischargedAt', 'wardId', 'bedId'].includes(field),
  );
  if (other.some((field) => changed(change, field))) needed.add('visits:admit');
  return needed.size > 0 ? [...needed] : ['visits:read'];
}

const LAB_STATUS_PERMISSION: Record<string, Permission> = {
  accepted: 'lab_tests:accept',
  in_progress: 'lab_tests:start',
  completed: 'lab_tests:complete',
  cancelled: 'lab_tests:cancel',
  pending: 'lab_tests:order',
};

function labTestPermissions(change: MutationChange): Permission[] {
  if (change.op !== 'update')
    return change.op === 'insert' ? ['lab_tests:order'] : ['lab_tests:cancel'];
  const needed = new Set<Permission>();
  const status = change.changes.status;
  if (changed(change, 'status') && typeof status === 'string') {
    needed.add(LAB_STATUS_PERMISSION[status] ?? 'lab_tests:order');
  }
  if (changed(change, 'result') || changed(change, 'reportAttachment'))
    needed.add('lab_tests:complete');
  return needed.size > 0 ? [...needed] : ['lab_tests:read'];
}

/** One permission per op for the tables whose rules do not depend on the fields. */
const BY_TABLE: Record<string, Partial<Record<MutationKind, Permission>>> = {
  hospitals: { update: 'hospitals:manage' },
  wards: { insert: 'hospitals:manage', update: 'hospitals:manage', delete: 'hospitals:manage' },
  beds: { insert: 'hospitals:manage', update: 'beds:manage', delete: 'hospitals:manage' },
  users: { insert: 'users:manage', update: 'users:manage', delete: 'users:manage' },
  user_permissions: { insert: 'users:manage', update: 'users:manage', delete: 'users:manage' },
  patients: { insert: 'patients:create', update: 'patients:update', delete: 'patients:update' },
  vitals: { insert: 'vitals:create' },
  nurse_logs: { insert: 'nurse_logs:create' },
  prescriptions: {
    insert: 'prescriptions:create',
    update: 'prescriptions:update',
    delete: 'prescriptions:update',
  },
  medication_administrations: { insert: 'mar:administer' },
  appointments: {
    insert: 'appointments:manage',
    update: 'appointments:manage',
    delete: 'appointments:manage',
  },
  inventory: { insert: 'inventory:adjust', update: 'inventory:adjust', delete: 'inventory:adjust' },
  emr_local: { insert: 'emr:write', update: 'emr:write', delete: 'emr:write' },
  ai_drafts: { insert: 'ai_drafts:read', update: 'ai_drafts:review', delete: 'ai_drafts:review' },
  notifications: { insert: 'notifications:read', update: 'notifications:read' },
  clinical_alerts: { insert: 'clinical_alerts:read', update: 'clinical_alerts:acknowledge' },
};

/**
 * Every permission the change needs (all of them), or null when no user may push it at all
 * (reference data such as roles and permissions is managed on the server only).
 */
export function requiredPermissions(change: MutationChange): Permission[] | null {
  if (change.table === 'visits') return visitPermissions(change);
  if (change.table === 'lab_tests') return labTestPermissions(change);
  const permission = BY_TABLE[change.table]?.[change.op];
  return permission ? [permission] : null;
}

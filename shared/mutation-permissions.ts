/**
 * Which permissions a pushed mutation needs, by table, op and what it changes. The rules are the
 * `permissions` of each table's catalog entry (shared/catalog); this reads them. Pure, so the
 * workstation can grey out what the server would refuse, and both sides read the same rules.
 */
import { findSyncedTable, type SyncedTable } from './catalog';
import type { UpdatePermissions } from './catalog/table';
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

function updatePermissions(
  table: SyncedTable,
  rules: UpdatePermissions,
  change: MutationChange,
): Permission[] {
  const needed = new Set<Permission>();
  const statusField = table.statusMachine?.field ?? 'status';
  const status = change.changes[statusField];
  if (rules.statusTo && changed(change, statusField) && typeof status === 'string') {
    const from = change.before?.[statusField];
    const move = typeof from === 'string' ? rules.statusMoves?.[`${from}->${status}`] : undefined;
    const permission = move ?? rules.statusTo[status];
    if (permission) needed.add(permission);
  }
  const fields = rules.fields ?? {};
  for (const [field, permission] of Object.entries(fields)) {
    if (permission && changed(change, field)) needed.add(permission);
  }
  if (rules.otherFields) {
    const named = new Set([...Object.keys(fields), ...(rules.statusTo ? [statusField] : [])]);
    const other = Object.keys(change.changes).filter((field) => !named.has(field));
    if (other.some((field) => changed(change, field))) needed.add(rules.otherFields);
  }
  return needed.size > 0 ? [...needed] : [rules.otherwise];
}

/**
 * Every permission the change of a row of `table` needs (all of them), or null when no user may
 * push it at all (reference data such as roles and permissions is managed on the server only).
 */
export function permissionsFor(table: SyncedTable, change: MutationChange): Permission[] | null {
  const rule = table.permissions[change.op];
  if (rule === undefined) return null;
  if (typeof rule === 'string') return [rule];
  return updatePermissions(table, rule, change);
}

/** permissionsFor the catalog table the change names; null for a table the catalog lacks. */
export function requiredPermissions(change: MutationChange): Permission[] | null {
  const table = findSyncedTable(change.table);
  return table ? permissionsFor(table, change) : null;
}

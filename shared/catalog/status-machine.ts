/**
 * The status machine of a catalog entry, applied: which statuses a new row may start in and which
 * moves the workflow allows. The server refuses anything else as `invalid_transition`, whoever
 * asks; the answers are sentences a nurse can act on.
 */
import type { SyncedTable } from './table';

/** Why a new row may not start with these fields, or null when it may. */
export function refuseInitialStatus(
  table: SyncedTable,
  fields: Readonly<Record<string, unknown>>,
): string | null {
  const machine = table.statusMachine;
  if (!machine) return null;
  const status = fields[machine.field];
  if (typeof status === 'string' && machine.initial.includes(status)) return null;
  return `A new ${machine.noun} starts as ${machine.initial.join(' or ')}, not ${String(status)}.`;
}

/** Why a row may not move from `from` to `to`, or null when it may (or nothing moves). */
export function refuseTransition(table: SyncedTable, from: unknown, to: unknown): string | null {
  const machine = table.statusMachine;
  if (!machine || typeof from !== 'string' || typeof to !== 'string' || from === to) return null;
  if ((machine.transitions[from] ?? []).includes(to)) return null;
  return `A ${machine.noun} cannot go from ${from} to ${to}.`;
}

/**
 * The server's implementation of each check a catalog entry names in `serverChecks`
 * (shared/catalog/table.ts lists them). The record's type makes every named check implemented.
 */
import type { ServerCheckName, SyncedTable } from '../../shared/catalog/table';
import type { Mutation, MutationResult, Reason } from '../../shared/protocol';
import { checkAccountMutation, noteUnlock } from './account-rules';
import {
  alertRefusedChange,
  applyBedRule,
  applyDoubleDoseRule,
  applyDuplicatePatientRule,
  applyLateEntryRule,
  refuseAlertChange,
} from './clinical-checks';
import {
  applyPatientMerge,
  copyEditToSurvivor,
  refuseMerge,
  refuseMergeMark,
} from './merged-patients';
import { applyStockRule } from './negative-stock';
import type { DecideContext } from './plan';
import { applySlotRule } from './slot-taken';
import type { WireRow } from './rows';

type Adjust = (
  ctx: DecideContext,
  mutation: Mutation,
  row: WireRow,
  result: MutationResult,
) => void;

export interface ServerCheck {
  /** Refuses a change the rules forbid (asked after the permission check); null lets it pass. */
  refuse?: (
    ctx: DecideContext,
    mutation: Mutation,
    before: WireRow | undefined,
    changes: Record<string, unknown>,
  ) => Reason | null;
  /** Looks at a new row about to be written: may warn, raise an alert or keep it as a conflict. */
  onInsert?: Adjust;
  /** The same for a row an update is about to rewrite. */
  onUpdate?: Adjust;
  /** Told of a change of the table that was refused (for whatever reason), after the fact. */
  onRefused?: (ctx: DecideContext, mutation: Mutation, reason: Reason) => void;
}

const SERVER_CHECKS: Record<ServerCheckName, ServerCheck> = {
  bed_clash: { onInsert: applyBedRule, onUpdate: applyBedRule },
  double_dose: { onInsert: applyDoubleDoseRule },
  duplicate_patient: { onInsert: applyDuplicatePatientRule },
  patient_merge: {
    refuse: (ctx, _mutation, _before, changes) => refuseMerge(ctx, changes),
    onInsert: applyPatientMerge,
  },
  merged_record: {
    refuse: (_ctx, _mutation, _before, changes) => refuseMergeMark(changes),
    onUpdate: copyEditToSurvivor,
  },
  slot_taken: { onInsert: applySlotRule, onUpdate: applySlotRule },
  negative_stock: { onInsert: applyStockRule },
  account_rules: {
    refuse: (ctx, mutation, before, changes) =>
      checkAccountMutation('account', ctx.state, mutation, before, changes, ctx.now),
    onUpdate: noteUnlock,
  },
  grant_rules: {
    refuse: (ctx, mutation, before, changes) =>
      checkAccountMutation('grant', ctx.state, mutation, before, changes, ctx.now),
  },
  late_entry_after_discharge: { onInsert: applyLateEntryRule },
  refused_clinical_change: { onRefused: alertRefusedChange },
  alert_acknowledgement: {
    refuse: (_ctx, mutation, _before, changes) => refuseAlertChange(mutation, changes),
  },
};

/** The checks the catalog entry asks the server to run on its rows, in the entry's order. */
export const serverChecksOf = (table: SyncedTable): ServerCheck[] =>
  table.serverChecks.map((name) => SERVER_CHECKS[name]);

/** The first refusal of the table's checks, or null. */
export function refuseByChecks(
  ctx: DecideContext,
  table: SyncedTable,
  mutation: Mutation,
  before: WireRow | undefined,
  changes: Record<string, unknown>,
): Reason | null {
  for (const check of serverChecksOf(table)) {
    const refusal = check.refuse?.(ctx, mutation, before, changes) ?? null;
    if (refusal) return refusal;
  }
  return null;
}

/** Tells the checks of the mutation's table (if the server syncs it) that it was refused. */
export function noticeRefusal(ctx: DecideContext, mutation: Mutation, reason: Reason): void {
  const shape = ctx.shapes.get(mutation.table);
  if (!shape) return;
  for (const check of serverChecksOf(shape.table)) check.onRefused?.(ctx, mutation, reason);
}

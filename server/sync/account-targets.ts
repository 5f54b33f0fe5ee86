import type { PreparedMutation } from './prepare';
import type { WireRow } from './rows';

/**
 * Whose accounts a batch's mutations touch: their role and current grants are loaded with the
 * pushing staff, so the rules can judge the target as well as the actor.
 */
export function accountTargets(
  prepared: readonly PreparedMutation[],
  currentRow: (table: string, id: string) => WireRow | undefined,
): string[] {
  return prepared.flatMap((item) => {
    if (!item.ok || !item.shape.table.serverChecks.includes('grant_rules')) return [];
    const before = currentRow(item.shape.table.name, item.mutation.id);
    const userId = item.mutation.op === 'insert' ? item.data.userId : before?.userId;
    return typeof userId === 'string' ? [userId] : [];
  });
}

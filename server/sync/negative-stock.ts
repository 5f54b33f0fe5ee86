/**
 * Stock as movements (issue 13): the quantity on hand is the sum of an item's movements, so two
 * workstations dispensing offline add up instead of overwriting each other. When the sum goes
 * below zero the movement is still kept (the tablets did leave the shelf); the person is warned
 * and the pharmacy gets a `negative_stock` alert to count the item and record an adjustment.
 */
import type { Mutation, MutationResult } from '../../shared/protocol';
import { raiseAlert, type DecideContext } from './plan';
import type { WireRow } from './rows';

export function applyStockRule(
  ctx: DecideContext,
  mutation: Mutation,
  row: WireRow,
  result: MutationResult,
) {
  const itemId = String(row.itemId);
  const quantity = Number(row.quantity);
  const onHand = (ctx.state.stockOnHand.get(itemId) ?? 0) + quantity;
  ctx.state.stockOnHand.set(itemId, onHand);
  if (quantity >= 0 || onHand >= 0) return;
  result.warnings = [
    ...(result.warnings ?? []),
    {
      code: 'negative_stock',
      message: `The recorded movements of this item now add up to ${String(onHand)}: count it and record an adjustment.`,
    },
  ];
  raiseAlert(
    ctx,
    mutation,
    'negative_stock',
    { visitId: null, patientId: null },
    { itemId, movementId: row.id, kind: row.kind, quantity, onHand },
  );
}

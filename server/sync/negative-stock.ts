/**
 * Stock as movements (issue 13): the quantity on hand is the sum of an item's movements, so two
 * workstations dispensing offline add up instead of overwriting each other. When the sum goes
 * below zero the movement is still kept (the tablets did leave the shelf); the person is warned
 * and the pharmacy gets a `negative_stock` alert to count the item and record an adjustment.
 */
import type pg from 'pg';
import type { Mutation, MutationResult } from '../../shared/protocol';
import type { PreparedMutation } from './prepare';
import { raiseAlert, type DecideContext } from './plan';
import type { WireRow } from './rows';

type Prepared = Extract<PreparedMutation, { ok: true }>;

/** itemId → quantity on hand before the batch, for the items the batch moves. */
export async function loadStockOnHand(
  client: pg.PoolClient,
  movements: readonly Prepared[],
): Promise<Map<string, number>> {
  const itemIds = [
    ...new Set(
      movements.flatMap((item) => (typeof item.data.itemId === 'string' ? [item.data.itemId] : [])),
    ),
  ].sort();
  const onHand = new Map<string, number>(itemIds.map((id) => [id, 0]));
  if (itemIds.length === 0) return onHand;
  // Two pushes moving one item take turns here, so each sees the other's movements in its sum.
  await client.query(
    'select id from inventory where id = any($1::uuid[]) order by id for no key update',
    [itemIds],
  );
  const sums = await client.query<{ item_id: string; on_hand: number }>(
    `select item_id, sum(quantity)::int as on_hand from inventory_movements
      where item_id = any($1::uuid[]) and deleted_at is null group by item_id`,
    [itemIds],
  );
  for (const row of sums.rows) onHand.set(row.item_id, row.on_hand);
  return onHand;
}

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

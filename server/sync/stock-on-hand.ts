/**
 * What each stock item a batch moves adds up to before the batch (server/sync/negative-stock.ts),
 * loaded before any decision (server/sync/batch-state.ts).
 */
import type pg from 'pg';
import type { PreparedMutation } from './prepare';

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

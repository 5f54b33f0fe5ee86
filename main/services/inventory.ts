import { and, asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { ReplicaReader } from './replica-reader';
import { inventory } from '../../db/local/schema';
import { IdSchema, textField } from '../../shared/schemas/common';
import { refuse } from '../errors';
import { parseInput } from './validate';
import { writeClinical, type WriteContext } from './write-path';

const EXPIRY_WARNING_DAYS = 30;

export const AdjustInventoryInput = z.object({
  itemId: IdSchema,
  delta: z
    .number()
    .int()
    .min(-100_000)
    .max(100_000)
    .refine((n) => n !== 0, 'The change cannot be zero'),
  reason: textField(300),
});
export type AdjustInventoryInput = z.input<typeof AdjustInventoryInput>;

type Item = typeof inventory.$inferSelect;
export interface StockWarning {
  code: 'low_stock' | 'expiring' | 'expired';
  message: string;
}

/** Low stock: at or under the item's threshold. Expiring: within 30 days. */
export function stockWarnings(item: Item, now: Date): StockWarning[] {
  const warnings: StockWarning[] = [];
  if (item.quantity <= item.threshold) {
    warnings.push({
      code: 'low_stock',
      message: `${item.name}: ${item.quantity} ${item.unit} left (reorder at ${item.threshold}).`,
    });
  }
  if (item.expiresOn) {
    const days = Math.floor(
      (Date.parse(`${item.expiresOn}T00:00:00Z`) - now.getTime()) / 86_400_000,
    );
    if (days < 0)
      warnings.push({ code: 'expired', message: `${item.name} expired on ${item.expiresOn}.` });
    else if (days <= EXPIRY_WARNING_DAYS)
      warnings.push({
        code: 'expiring',
        message: `${item.name} expires on ${item.expiresOn} (in ${days} days).`,
      });
  }
  return warnings;
}

export function listInventory(db: ReplicaReader, hospitalId: string, now: Date) {
  return db
    .select()
    .from(inventory)
    .where(and(eq(inventory.hospitalId, hospitalId), isNull(inventory.deletedAt)))
    .orderBy(asc(inventory.name))
    .all()
    .map((item) => ({ ...item, warnings: stockWarnings(item, now) }));
}

export function adjustInventory(context: WriteContext, input: AdjustInventoryInput) {
  const fields = parseInput(AdjustInventoryInput, input);
  return writeClinical(context, (batch) => {
    const item = batch.read(inventory, fields.itemId);
    const quantity = item.quantity + fields.delta;
    if (quantity < 0)
      refuse(
        'insufficient_stock',
        `Only ${item.quantity} ${item.unit} of ${item.name} are in stock.`,
      );
    batch.audit({
      action: 'inventory.adjust_reason',
      entity: 'inventory',
      entityId: item.id,
      after: { delta: fields.delta, reason: fields.reason },
    });
    const updated = batch.update(inventory, item.id, { quantity }, { action: 'inventory.adjust' });
    return { item: updated, warnings: stockWarnings(updated, new Date(batch.now)) };
  });
}

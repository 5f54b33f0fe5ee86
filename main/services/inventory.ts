/**
 * Stock as movements (issue 13): every change of stock is an append-only movement (received,
 * dispensed, adjusted, expired) with who, when and why; the quantity on hand is their sum, never
 * a stored number. Two workstations dispensing the same item offline therefore add up when they
 * sync. This workstation refuses to take out more than its own count; if two desks together took
 * more than there was, the server keeps both and raises a `negative_stock` alert.
 */
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ReplicaReader } from './replica-reader';
import { inventory, inventoryMovements, users } from '../../db/local/schema';
import { STOCK_MOVEMENT_KINDS, type StockMovementKind } from '../../shared/catalog/scheduling';
import { IdSchema, textField } from '../../shared/schemas/common';
import { refuse } from '../errors';
import { parseInput } from './validate';
import { writeClinical, type WriteContext } from './write-path';

const EXPIRY_WARNING_DAYS = 30;
const MOVEMENTS_SHOWN = 50;

export const RecordStockMovementInput = z
  .object({
    itemId: IdSchema,
    kind: z.enum(STOCK_MOVEMENT_KINDS),
    /** How many received, dispensed or expired; for an adjustment, the signed change. */
    quantity: z
      .number()
      .int()
      .min(-100_000)
      .max(100_000)
      .refine((n) => n !== 0, 'The quantity cannot be zero'),
    reason: textField(300),
  })
  .refine((input) => input.kind === 'adjusted' || input.quantity > 0, {
    message: 'Enter how many (a positive number); only an adjustment can be negative',
    path: ['quantity'],
  });
export type RecordStockMovementInput = z.input<typeof RecordStockMovementInput>;

/** The change a movement makes to the stock: received adds, dispensed and expired take away. */
export function signedQuantity(kind: StockMovementKind, quantity: number): number {
  if (kind === 'dispensed' || kind === 'expired') return -Math.abs(quantity);
  if (kind === 'received') return Math.abs(quantity);
  return quantity;
}

type Item = typeof inventory.$inferSelect & { quantity: number };
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

/** The quantity on hand: the sum of the item's movements this workstation holds. */
const onHand = sql<number>`coalesce((select sum(m.quantity) from inventory_movements m
  where m.item_id = inventory.id and m.deleted_at is null), 0)`.mapWith(Number);

function readItem(db: ReplicaReader, itemId: string): Item | undefined {
  return db
    .select({ item: inventory, quantity: onHand })
    .from(inventory)
    .where(eq(inventory.id, itemId))
    .all()
    .map(({ item, quantity }) => ({ ...item, quantity }))[0];
}

export function listInventory(db: ReplicaReader, hospitalId: string, now: Date) {
  return db
    .select({ item: inventory, quantity: onHand })
    .from(inventory)
    .where(and(eq(inventory.hospitalId, hospitalId), isNull(inventory.deletedAt)))
    .orderBy(asc(inventory.name))
    .all()
    .map(({ item, quantity }) => {
      const counted = { ...item, quantity };
      return { ...counted, warnings: stockWarnings(counted, now) };
    });
}

/** The item's latest movements, newest first, with who recorded each. */
export function listStockMovements(db: ReplicaReader, itemId: string) {
  return db
    .select({
      id: inventoryMovements.id,
      kind: inventoryMovements.kind,
      quantity: inventoryMovements.quantity,
      reason: inventoryMovements.reason,
      recordedAt: inventoryMovements.recordedAt,
      recordedBy: users.fullName,
    })
    .from(inventoryMovements)
    .leftJoin(users, eq(users.id, inventoryMovements.recordedBy))
    .where(and(eq(inventoryMovements.itemId, itemId), isNull(inventoryMovements.deletedAt)))
    .orderBy(desc(inventoryMovements.recordedAt), desc(inventoryMovements.id))
    .limit(MOVEMENTS_SHOWN)
    .all();
}

export function recordStockMovement(context: WriteContext, input: RecordStockMovementInput) {
  const fields = parseInput(RecordStockMovementInput, input);
  return writeClinical(context, (batch) => {
    const item = readItem(batch.db, fields.itemId);
    if (!item || item.deletedAt !== null)
      refuse('not_found', 'That stock item is not on this workstation.', 'not_found');
    const change = signedQuantity(fields.kind, fields.quantity);
    if (item.quantity + change < 0)
      refuse(
        'insufficient_stock',
        `Only ${item.quantity} ${item.unit} of ${item.name} are in stock.`,
      );
    const movement = batch.insert(
      inventoryMovements,
      {
        itemId: item.id,
        kind: fields.kind,
        quantity: change,
        reason: fields.reason,
        recordedBy: batch.actor.userId,
        recordedAt: batch.now,
      },
      { action: `inventory.${fields.kind}` },
    );
    const updated = { ...item, quantity: item.quantity + change };
    return { movement, item: updated, warnings: stockWarnings(updated, new Date(batch.now)) };
  });
}

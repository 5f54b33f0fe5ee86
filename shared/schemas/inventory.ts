import { z } from 'zod';
import { DateSchema, SyncColumnsSchema, textField } from './common';

export const INVENTORY_ITEM_TYPES = ['medication', 'supply', 'equipment'] as const;

export const InventoryItemFieldsSchema = z.object({
  itemType: z.enum(INVENTORY_ITEM_TYPES),
  name: textField(160),
  sku: z.string().trim().max(64).nullable(),
  quantity: z.number().int().nonnegative(),
  unit: textField(24),
  threshold: z.number().int().nonnegative(),
  expiresOn: DateSchema.nullable(),
  location: z.string().trim().max(120).nullable(),
});
export const InventoryItemSchema = SyncColumnsSchema.extend(InventoryItemFieldsSchema.shape);
export type InventoryItem = z.infer<typeof InventoryItemSchema>;

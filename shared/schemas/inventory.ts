import type { z } from 'zod';
import { inventory } from '../catalog/scheduling';
import { SyncColumnsSchema } from './common';

export { INVENTORY_ITEM_TYPES } from '../catalog/scheduling';

// Derived from the catalog entry (shared/catalog/scheduling.ts).
export const InventoryItemFieldsSchema = inventory.fields;
export const InventoryItemSchema = SyncColumnsSchema.extend(InventoryItemFieldsSchema.shape);
export type InventoryItem = z.infer<typeof InventoryItemSchema>;

import { z } from 'zod';
import { IdSchema } from '../../../shared/schemas/common';
import {
  listInventory,
  listStockMovements,
  recordStockMovement,
  RecordStockMovementInput,
} from '../../services/inventory';
import { permissionProcedure, router } from '../trpc';

export const inventoryRouter = router({
  list: permissionProcedure('inventory:read').query(({ ctx }) =>
    listInventory(ctx.db, ctx.actor.hospitalId, ctx.clock.now()),
  ),
  movements: permissionProcedure('inventory:read')
    .input(z.object({ itemId: IdSchema }))
    .query(({ ctx, input }) => listStockMovements(ctx.db, input.itemId)),
  record: permissionProcedure('inventory:adjust')
    .input(RecordStockMovementInput)
    .mutation(({ ctx, input }) => recordStockMovement(ctx, input)),
});

import { adjustInventory, AdjustInventoryInput, listInventory } from '../../services/inventory';
import { permissionProcedure, router } from '../trpc';

export const inventoryRouter = router({
  list: permissionProcedure('inventory:read').query(({ ctx }) =>
    listInventory(ctx.db, ctx.actor.hospitalId, ctx.clock.now()),
  ),
  adjust: permissionProcedure('inventory:adjust')
    .input(AdjustInventoryInput)
    .mutation(({ ctx, input }) => adjustInventory(ctx, input)),
});

import { z } from 'zod';
import { IdSchema } from '../../../shared/schemas/common';
import { getWardBoard, listWards } from '../../services/ward-board';
import { permissionProcedure, router } from '../trpc';

export const wardsRouter = router({
  list: permissionProcedure('wards:read').query(({ ctx }) =>
    listWards(ctx.db, ctx.actor.hospitalId),
  ),
});

export const wardBoardRouter = router({
  get: permissionProcedure('visits:read')
    .input(z.object({ wardId: IdSchema }))
    .query(({ ctx, input }) =>
      getWardBoard(ctx.db, { wardId: input.wardId, now: ctx.clock.now() }),
    ),
});

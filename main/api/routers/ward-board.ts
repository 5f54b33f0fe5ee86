import { z } from 'zod';
import { IdSchema } from '../../../shared/schemas/common';
import { getWardBoard, listWards } from '../../services/ward-board';
import { auditListRead } from '../access-audit';
import { permissionProcedure, router } from '../trpc';

export const wardsRouter = router({
  list: permissionProcedure('wards:read').query(({ ctx }) =>
    listWards(ctx.db, ctx.actor.hospitalId),
  ),
});

export const wardBoardRouter = router({
  get: permissionProcedure('visits:read')
    .input(z.object({ wardId: IdSchema }))
    .query(({ ctx, input }) => {
      const board = getWardBoard(ctx.db, { wardId: input.wardId, now: ctx.clock.now() });
      auditListRead(ctx, {
        sessionId: ctx.session.id,
        action: 'ward_board.read',
        entity: 'wards',
        entityId: input.wardId,
      });
      return board;
    }),
});

import { z } from 'zod';
import { IdSchema } from '../../../shared/schemas/common';
import { refuseOutsideWard, wardShownTo } from '../../services/break-glass';
import { getWardBoard, listWards } from '../../services/ward-board';
import { auditListRead } from '../access-audit';
import { permissionProcedure, router } from '../trpc';

export const wardsRouter = router({
  /** Every ward with its bed counts; `mine`: its board is shown to this person (ward assignment). */
  list: permissionProcedure('wards:read').query(({ ctx }) => {
    const shown = wardShownTo(ctx.db, ctx.actor);
    return listWards(ctx.db, ctx.actor.hospitalId).map((ward) => ({
      ...ward,
      mine: shown(ward.id),
    }));
  }),
});

export const wardBoardRouter = router({
  get: permissionProcedure('visits:read')
    .input(z.object({ wardId: IdSchema }))
    .query(({ ctx, input }) => {
      refuseOutsideWard(ctx.db, ctx.actor, input.wardId);
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

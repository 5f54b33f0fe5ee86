import { z } from 'zod';
import { IdSchema } from '../../../shared/schemas/common';
import { BreakGlassRequestSchema } from '../../../shared/break-glass';
import { startBreakGlass } from '../../services/break-glass';
import { chartStayId, openChart } from '../../services/chart';
import { readRecordsElsewhere } from '../../sync/records-elsewhere';
import { permissionProcedure, reauthProcedure, router } from '../trpc';

export const chartRouter = router({
  /** Everything the chart's first paint needs; the read itself is audited. */
  open: permissionProcedure('emr:read')
    .input(z.object({ patientId: IdSchema, visitId: IdSchema.optional() }))
    .mutation(async ({ ctx, input }) => {
      // An older stay this workstation does not hold is fetched first when online (docs/SYNC.md
      // "Scope"); offline, the chart says what it does not hold (`recordNotHeld`).
      const stayId = chartStayId(ctx.db, input);
      if (stayId !== null) await ctx.sync?.fetchStayForChart(stayId);
      return openChart(ctx, input);
    }),
  /**
   * Break-glass (issue 15): a reason and the password again (`reauthProof` for `break_glass`)
   * open this patient's chart to this person for 60 minutes; refused without either, audited.
   */
  breakGlass: reauthProcedure('emr:read', 'break_glass')
    .input(BreakGlassRequestSchema)
    .mutation(({ ctx, input }) => startBreakGlass(ctx, input)),
  /**
   * The patient's records from other facilities (the global EMR): online only, one request to
   * the server signed by the person reading, audited there and here.
   */
  recordsElsewhere: permissionProcedure('emr_global:read')
    .input(z.object({ patientId: IdSchema }))
    .mutation(({ ctx, input }) =>
      readRecordsElsewhere(ctx, ctx.sync?.transport() ?? null, input.patientId),
    ),
});

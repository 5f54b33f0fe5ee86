import { z } from 'zod';
import { IdSchema } from '../../../shared/schemas/common';
import { chartStayId, openChart } from '../../services/chart';
import { readRecordsElsewhere } from '../../sync/records-elsewhere';
import { permissionProcedure, router } from '../trpc';

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
   * The patient's records from other facilities (the global EMR): online only, one request to
   * the server signed by the person reading, audited there and here.
   */
  recordsElsewhere: permissionProcedure('emr_global:read')
    .input(z.object({ patientId: IdSchema }))
    .mutation(({ ctx, input }) =>
      readRecordsElsewhere(ctx, ctx.sync?.transport() ?? null, input.patientId),
    ),
});

import { z } from 'zod';
import { IdSchema } from '../../../shared/schemas/common';
import { openChart } from '../../services/chart';
import { permissionProcedure, router } from '../trpc';

export const chartRouter = router({
  /** Everything the chart's first paint needs; the read itself is audited. */
  open: permissionProcedure('emr:read')
    .input(z.object({ patientId: IdSchema, visitId: IdSchema.optional() }))
    .mutation(({ ctx, input }) => openChart(ctx, input)),
});

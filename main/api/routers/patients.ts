import { z } from 'zod';
import { searchPatients } from '../../services/patient-search';
import { permissionProcedure, router } from '../trpc';

export const patientsRouter = router({
  search: permissionProcedure('patients:read')
    .input(z.object({ query: z.string().trim().min(1).max(100), limit: z.number().int().min(1).max(100).optional() }))
    .query(({ ctx, input }) => searchPatients(ctx.db, ctx.actor.hospitalId, input)),
});

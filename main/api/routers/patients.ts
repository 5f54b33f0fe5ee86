import { z } from 'zod';
import {
  comparePatients,
  ComparePatientsInput,
  mergePatients,
  MergePatientsInput,
} from '../../services/patient-merge';
import { searchPatients } from '../../services/patient-search';
import { registerPatient, RegisterPatientInput } from '../../services/patients';
import { auditListRead } from '../access-audit';
import { permissionProcedure, router } from '../trpc';

export const patientsRouter = router({
  search: permissionProcedure('patients:read')
    .input(
      z.object({
        query: z.string().trim().min(1).max(100),
        limit: z.number().int().min(1).max(100).optional(),
      }),
    )
    .query(({ ctx, input }) => {
      const found = searchPatients(ctx.db, ctx.actor.hospitalId, input);
      // That a search happened, never what was typed: the query may be a patient's name.
      auditListRead(ctx, {
        sessionId: ctx.session.id,
        action: 'patients.search',
        entity: 'patients',
        entityId: null,
      });
      return found;
    }),
  register: permissionProcedure('patients:create')
    .input(RegisterPatientInput)
    .mutation(({ ctx, input }) => registerPatient(ctx, input)),
  compare: permissionProcedure('patients:merge')
    .input(ComparePatientsInput)
    .query(({ ctx, input }) => comparePatients(ctx.db, input)),
  merge: permissionProcedure('patients:merge')
    .input(MergePatientsInput)
    .mutation(({ ctx, input }) => mergePatients(ctx, input)),
});

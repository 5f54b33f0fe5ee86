import { z } from 'zod';
import { IdSchema } from '../../../shared/schemas/common';
import {
  comparePatients,
  ComparePatientsInput,
  mergePatients,
  MergePatientsInput,
} from '../../services/patient-merge';
import { searchPatients } from '../../services/patient-search';
import { registerPatient, RegisterPatientInput } from '../../services/patients';
import { auditListRead } from '../access-audit';
import {
  activeRestriction,
  liftRestriction,
  restrictPatient,
  RestrictPatientInput,
} from '../../services/access-scope';
import { permissionProcedure, reauthProcedure, router } from '../trpc';

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
  /** Whether a patient's record is restricted, and why (issue 15). */
  restriction: permissionProcedure('patients:read')
    .input(z.object({ patientId: IdSchema }))
    .query(({ ctx, input }) => {
      const current = activeRestriction(ctx.db, input.patientId);
      return { restricted: current !== undefined, reason: current?.reason ?? null };
    }),
  /** Restricts a record (its chart then opens only by break-glass), after the password again. */
  restrict: reauthProcedure('patients:restrict', 'patients.restrict')
    .input(RestrictPatientInput)
    .mutation(({ ctx, input }) => restrictPatient(ctx, input)),
  liftRestriction: reauthProcedure('patients:restrict', 'patients.restrict')
    .input(z.object({ patientId: IdSchema }))
    .mutation(({ ctx, input }) => liftRestriction(ctx, input.patientId)),
});

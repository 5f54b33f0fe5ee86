/**
 * The Admin screen's Organisation part: this hospital's wards and beds, changed through the
 * write path (main/services/organisation.ts) with the permissions the server also checks.
 */
import {
  addBed,
  AddBedInput,
  addWard,
  AddWardInput,
  editHospital,
  EditHospitalInput,
  editWard,
  EditWardInput,
  importWardsAndBeds,
  ImportWardsInput,
  readOrganisation,
  setBedStatus,
  SetBedStatusInput,
} from '../../services/organisation';
import { permissionProcedure, router } from '../trpc';

export const organisationRouter = router({
  view: permissionProcedure('hospitals:read').query(({ ctx }) => ({
    ...readOrganisation(ctx.db, ctx.actor.hospitalId),
    canManage: ctx.permissions.has('hospitals:manage'),
    canSetBedStatus: ctx.permissions.has('beds:manage'),
  })),
  editHospital: permissionProcedure('hospitals:manage')
    .input(EditHospitalInput)
    .mutation(({ ctx, input }) => editHospital(ctx, input)),
  addWard: permissionProcedure('hospitals:manage')
    .input(AddWardInput)
    .mutation(({ ctx, input }) => addWard(ctx, input)),
  editWard: permissionProcedure('hospitals:manage')
    .input(EditWardInput)
    .mutation(({ ctx, input }) => editWard(ctx, input)),
  addBed: permissionProcedure('hospitals:manage')
    .input(AddBedInput)
    .mutation(({ ctx, input }) => addBed(ctx, input)),
  setBedStatus: permissionProcedure('beds:manage')
    .input(SetBedStatusInput)
    .mutation(({ ctx, input }) => setBedStatus(ctx, input)),
  importCsv: permissionProcedure('hospitals:manage')
    .input(ImportWardsInput)
    .mutation(({ ctx, input }) => importWardsAndBeds(ctx, input)),
});

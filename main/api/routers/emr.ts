import { addEmrEntry, AddEmrEntryInput } from '../../services/emr-records';
import { permissionProcedure, router } from '../trpc';

/** Writing the visit's local EMR record; reading it is part of `chart.open`. */
export const emrRouter = router({
  add: permissionProcedure('emr:write')
    .input(AddEmrEntryInput)
    .mutation(({ ctx, input }) => addEmrEntry(ctx, input)),
});

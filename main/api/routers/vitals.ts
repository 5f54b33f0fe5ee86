import {
  correctVitals,
  CorrectVitalsInput,
  recordVitals,
  RecordVitalsInput,
} from '../../services/vitals';
import { permissionProcedure, router } from '../trpc';

export const vitalsRouter = router({
  record: permissionProcedure('vitals:create')
    .input(RecordVitalsInput)
    .mutation(({ ctx, input }) => recordVitals(ctx, input)),
  correct: permissionProcedure('vitals:create')
    .input(CorrectVitalsInput)
    .mutation(({ ctx, input }) => correctVitals(ctx, input)),
});

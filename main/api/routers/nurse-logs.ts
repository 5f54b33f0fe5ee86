import {
  correctNurseLog,
  CorrectNurseLogInput,
  writeNurseLog,
  WriteNurseLogInput,
} from '../../services/nurse-logs';
import { permissionProcedure, router } from '../trpc';

export const nurseLogsRouter = router({
  write: permissionProcedure('nurse_logs:create')
    .input(WriteNurseLogInput)
    .mutation(({ ctx, input }) => writeNurseLog(ctx, input)),
  correct: permissionProcedure('nurse_logs:create')
    .input(CorrectNurseLogInput)
    .mutation(({ ctx, input }) => correctNurseLog(ctx, input)),
});

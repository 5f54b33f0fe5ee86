import { admitPatient, AdmitPatientInput } from '../../services/admission';
import { dischargePatient, DischargePatientInput } from '../../services/discharge';
import { transferPatient, TransferPatientInput } from '../../services/transfer';
import { permissionProcedure, router } from '../trpc';

export const visitsRouter = router({
  admit: permissionProcedure('visits:admit')
    .input(AdmitPatientInput)
    .mutation(({ ctx, input }) => admitPatient(ctx, input)),
  transfer: permissionProcedure('visits:transfer')
    .input(TransferPatientInput)
    .mutation(({ ctx, input }) => transferPatient(ctx, input)),
  discharge: permissionProcedure('visits:discharge')
    .input(DischargePatientInput)
    .mutation(({ ctx, input }) => dischargePatient(ctx, input)),
});

/**
 * Clinical alerts for the renderer: the Alerts inbox (the kinds the person's role sorts out), the
 * chart's banner (every open alert about one patient) and the acknowledgement, which goes through
 * the write path and so reaches every workstation of the hospital.
 */
import {
  acknowledgeAlert,
  AcknowledgeAlertInput,
  ListAlertsInput,
  listInboxAlerts,
  listPatientAlerts,
} from '../../services/clinical-alerts';
import { permissionProcedure, router } from '../trpc';

export const alertsRouter = router({
  inbox: permissionProcedure('clinical_alerts:read').query(({ ctx }) =>
    listInboxAlerts(ctx.db, ctx.session.user.role),
  ),
  ofPatient: permissionProcedure('clinical_alerts:read')
    .input(ListAlertsInput.required())
    .query(({ ctx, input }) => listPatientAlerts(ctx.db, input.patientId)),
  acknowledge: permissionProcedure('clinical_alerts:acknowledge')
    .input(AcknowledgeAlertInput)
    .mutation(({ ctx, input }) => acknowledgeAlert(ctx, input)),
});

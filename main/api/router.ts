/** The app router: one sub-router per area. The renderer imports only `type AppRouter`. */
import { alertsRouter } from './routers/alerts';
import { attachmentsRouter } from './routers/attachments';
import { appointmentsRouter } from './routers/appointments';
import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { chartRouter } from './routers/chart';
import { dischargeSummaryRouter } from './routers/discharge-summary';
import { emrRouter } from './routers/emr';
import { inventoryRouter } from './routers/inventory';
import { labTestsRouter } from './routers/lab-tests';
import { marRouter, prescriptionsRouter } from './routers/medications';
import { nurseLogsRouter } from './routers/nurse-logs';
import { organisationRouter } from './routers/organisation';
import { patientsRouter } from './routers/patients';
import { printRouter } from './routers/print';
import { setupRouter } from './routers/setup';
import { staffRouter } from './routers/staff';
import { syncRouter } from './routers/sync';
import { visitsRouter } from './routers/visits';
import { vitalsRouter } from './routers/vitals';
import { wardBoardRouter, wardsRouter } from './routers/ward-board';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  setup: setupRouter,
  auth: authRouter,
  wards: wardsRouter,
  wardBoard: wardBoardRouter,
  patients: patientsRouter,
  chart: chartRouter,
  emr: emrRouter,
  visits: visitsRouter,
  vitals: vitalsRouter,
  nurseLogs: nurseLogsRouter,
  prescriptions: prescriptionsRouter,
  mar: marRouter,
  labTests: labTestsRouter,
  appointments: appointmentsRouter,
  inventory: inventoryRouter,
  audit: auditRouter,
  alerts: alertsRouter,
  sync: syncRouter,
  staff: staffRouter,
  organisation: organisationRouter,
  print: printRouter,
  dischargeSummary: dischargeSummaryRouter,
  attachments: attachmentsRouter,
});

export type AppRouter = typeof appRouter;

export const createAppCaller = createCallerFactory(appRouter);

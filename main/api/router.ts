/** The app router: one sub-router per area. The renderer imports only `type AppRouter`. */
import { authRouter } from './routers/auth';
import { patientsRouter } from './routers/patients';
import { wardBoardRouter, wardsRouter } from './routers/ward-board';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  wards: wardsRouter,
  wardBoard: wardBoardRouter,
  patients: patientsRouter,
});

export type AppRouter = typeof appRouter;

export const createAppCaller = createCallerFactory(appRouter);

import { auditPushedThrough, verifyDeviceAuditChain } from '../../services/audit';
import { readAuditAlert } from '../../sync/audit-push';
import { z } from 'zod';
import { IdSchema, TimestampSchema } from '../../../shared/schemas/common';
import { exportAccessReport, readAccessReport } from '../../sync/access-report';
import {
  readBreakGlassReview,
  signOffBreakGlass,
  SignOffInput,
} from '../../sync/break-glass-review';
import { permissionProcedure, reauthProcedure, router } from '../trpc';

const AccessReportInput = z.object({
  patientId: IdSchema,
  from: TimestampSchema.optional(),
  to: TimestampSchema.optional(),
});

export const auditRouter = router({
  /** Checks this workstation's audit chain; each finding names the event that does not hold. */
  verify: permissionProcedure('audit:read').query(({ ctx }) => {
    const findings = verifyDeviceAuditChain(ctx.db);
    return { intact: findings.length === 0, findings };
  }),
  /**
   * The server's last word against this workstation's trail (a broken chain, signed events it
   * could not verify), for the administrators' security notice, and how far it holds the trail.
   */
  status: permissionProcedure('audit:read').query(({ ctx }) => ({
    alert: readAuditAlert(ctx.db),
    pushedThroughSeq: auditPushedThrough(ctx.db),
  })),
  /** Who touched a patient's record: the server's report online, this workstation's offline. */
  accessReport: permissionProcedure('audit:read')
    .input(AccessReportInput)
    .mutation(({ ctx, input }) => readAccessReport(ctx, ctx.sync?.transport() ?? null, input)),
  /** The same report as CSV, for the complaint file, after the password again; audited. */
  exportAccessReport: reauthProcedure('audit:read', 'audit.export')
    .input(AccessReportInput)
    .mutation(({ ctx, input }) => exportAccessReport(ctx, ctx.sync?.transport() ?? null, input)),
  /** Every break-glass of the hospital for managers to sign off (a signed read online). */
  breakGlassReview: permissionProcedure('audit:read').query(({ ctx }) =>
    readBreakGlassReview(ctx, ctx.sync?.transport() ?? null),
  ),
  /** A manager's sign-off of one break-glass: an audit event naming it. */
  signOffBreakGlass: permissionProcedure('audit:read')
    .input(SignOffInput)
    .mutation(({ ctx, input }) => signOffBreakGlass(ctx, input)),
});

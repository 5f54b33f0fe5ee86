import { auditPushedThrough, verifyDeviceAuditChain } from '../../services/audit';
import { readAuditAlert } from '../../sync/audit-push';
import { permissionProcedure, router } from '../trpc';

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
});

import { verifyDeviceAuditChain } from '../../services/audit';
import { permissionProcedure, router } from '../trpc';

export const auditRouter = router({
  /** Checks this workstation's audit chain; each finding names the event that does not hold. */
  verify: permissionProcedure('audit:read').query(({ ctx }) => {
    const findings = verifyDeviceAuditChain(ctx.db);
    return { intact: findings.length === 0, findings };
  }),
});

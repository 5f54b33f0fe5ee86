/**
 * The only procedure builders of the main process. Every procedure either declares the one
 * permission it needs (`permissionProcedure`) or is one of the few sign-in/lock calls that must
 * work without a session (`publicProcedure`). A bare builder is not exported, so a procedure
 * cannot forget to say what it needs; test/integration/workstation/rbac-matrix.test.ts walks
 * every procedure's meta to prove it.
 */
import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { ZodError } from 'zod';
import { syncState } from '../../db/local/schema';
import { PERMISSIONS, type Permission } from '../../shared/permissions';
import { ReauthProofSchema, type ReauthAction } from '../../shared/reauth';
import { ROLE_LABELS } from '../../shared/roles';
import { describeZodError } from '../../shared/validation';
import type { WardErrorCode } from '../../shared/ward-error-codes';
import { loadPermissions } from '../auth/permissions';
import { DISK_FULL_MESSAGE, isDiskFull } from '../disk-full';
import { refuse, WardError, type RefusalKind } from '../errors';
import type { Actor } from '../services/write-path';
import { auditRefusedCall, auditUnmadeChange } from './access-audit';
import type { Workstation } from '../workstation';

export type Context = Workstation;

export interface ProcedureMeta {
  /** The permission the procedure requires; absent only on public procedures. */
  permission?: Permission;
  /** The action whose re-authentication proof the call must carry (`reauthProcedure`). */
  reauth?: ReauthAction;
  access?: 'public';
}

const TRPC_CODES: Record<RefusalKind, TRPC_ERROR_CODE_KEY> = {
  invalid: 'BAD_REQUEST',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  locked: 'FORBIDDEN',
};

/** tRPC's own refusals (no procedure there, a body it cannot read) in the workstation's codes. */
const APP_CODES: Partial<Record<TRPC_ERROR_CODE_KEY, WardErrorCode>> = {
  BAD_REQUEST: 'invalid_input',
  PARSE_ERROR: 'invalid_input',
  UNAUTHORIZED: 'unauthorized',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not_found',
};

const appData = <T extends object>(data: T, appCode: WardErrorCode) => ({ ...data, appCode });

const INTERNAL_MESSAGE =
  'Something went wrong on this workstation. Your last action was not saved; please try again.';

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    // A nurse sees a sentence, a program sees `data.appCode`; nobody sees a stack trace or SQL.
    errorFormatter({ shape, error }) {
      const { stack: _stack, ...data } = shape.data;
      if (error.cause instanceof WardError) {
        return { ...shape, message: error.cause.message, data: appData(data, error.cause.code) };
      }
      // A write outside the write path (a session, a sign-in) stopped by a full disk.
      if (isDiskFull(error.cause)) {
        return { ...shape, message: DISK_FULL_MESSAGE, data: appData(data, 'disk_full') };
      }
      if (error.cause instanceof ZodError) {
        return {
          ...shape,
          message: describeZodError(error.cause),
          data: appData(data, 'invalid_input'),
        };
      }
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        return { ...shape, message: INTERNAL_MESSAGE, data: appData(data, 'internal') };
      }
      return { ...shape, data: appData(data, APP_CODES[error.code] ?? 'internal') };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Turns a service's refusal into a tRPC error of the right kind, keeping its code and sentence. */
const mapRefusals = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof WardError) {
    const refusal = result.error.cause;
    throw new TRPCError({
      code: TRPC_CODES[refusal.kind],
      message: refusal.message,
      cause: refusal,
    });
  }
  return result;
});

/** Sign-in, unlock, lock, sign-out and status: the calls a locked or empty workstation needs. */
export const publicProcedure = t.procedure.meta({ access: 'public' }).use(mapRefusals);

function workstationHospital(ctx: Context, userHospitalId: string | null): string {
  const enrolled = ctx.db
    .select({ hospitalId: syncState.hospitalId })
    .from(syncState)
    .where(eq(syncState.id, 1))
    .get();
  const hospitalId = enrolled?.hospitalId ?? userHospitalId;
  if (!hospitalId)
    refuse(
      'not_enrolled',
      'This workstation is not enrolled with a hospital yet. Ask IT to enroll it.',
      'forbidden',
    );
  return hospitalId;
}

/** A procedure that runs only for an active session whose role or direct grants allow `permission`. */
export function permissionProcedure(permission: Permission) {
  return t.procedure
    .meta({ permission })
    .use(mapRefusals)
    .use(({ ctx, type, path, next }) => {
      const session = ctx.sessions.requireActive({ personActed: type === 'mutation' });
      const granted = loadPermissions(ctx.db, session.user.id, ctx.clock.now());
      const actor: Actor = {
        userId: session.user.id,
        hospitalId: workstationHospital(ctx, session.user.hospitalId),
        signer: session.signer,
        role: session.user.role,
      };
      if (!granted.has(permission)) {
        auditRefusedCall({ ...ctx, actor }, { sessionId: session.id, path, permission });
        refuse(
          'forbidden',
          `Your account (${ROLE_LABELS[session.user.role]}) is not allowed to do this: ${PERMISSIONS[permission].toLowerCase()}.`,
          'forbidden',
        );
      }
      return next({ ctx: { session, actor, permissions: granted } });
    })
    .use(async ({ ctx, type, path, getRawInput, next }) => {
      const result = await next();
      // A write reaches the server right away when it is reachable, not at the next timer.
      if (type === 'mutation' && result.ok) ctx.sync?.notifyLocalWrite();
      if (type === 'mutation' && !result.ok) {
        const rawInput = await getRawInput();
        try {
          auditUnmadeChange(ctx, { path, rawInput, error: result.error });
        } catch {
          // The person must see the refusal they caused; an event that cannot be written now
          // (a full disk) fails the same way at their next change, which shows it.
        }
      }
      return result;
    });
}

/**
 * A `permissionProcedure` that also needs the password typed again (shared/reauth.ts): its input
 * carries `reauthProof`, answered by `auth.reauthenticate` for `action`, good for this one call.
 * Chain the procedure's own `.input(...)` after it; the proof is checked before the handler runs,
 * and a call without a good one is refused as `reauth_required` (and audited as refused).
 */
export function reauthProcedure(permission: Permission, action: ReauthAction) {
  return permissionProcedure(permission)
    .meta({ permission, reauth: action })
    .input(ReauthProofSchema)
    .use(({ ctx, input, next }) => {
      ctx.reauth.consume(ctx.session, action, input.reauthProof, ctx.clock.now());
      return next();
    });
}

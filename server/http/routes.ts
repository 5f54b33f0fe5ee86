import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ENDPOINTS } from '../../shared/endpoints';
import { PROTOCOL_VERSION, type Mutation, type MutationResult } from '../../shared/protocol';
import { SERVER_VERSION } from '../version';
import { readAccessReport } from '../audit/access-report';
import { readBreakGlassReview } from '../audit/break-glass-review';
import { receiveAuditEvents } from '../audit/receive-events';
import { countAttempt, type AttemptLimits } from '../auth/attempt-limits';
import { pushSignedMutations } from '../authorship/signed-push';
import { loginStaff } from '../auth/login';
import { changeOwnPassword, resetPassword } from '../auth/passwords';
import { enrollDevice } from '../devices/enrollment';
import { readFleet, recordDeviceStatus } from '../devices/fleet';
import { relayRescuedChanges } from '../devices/rescue';
import { revokeHospitalDevice } from '../devices/revoke';
import { reserveMrns } from '../ids/reserve-mrns';
import { readGlobalEmr } from '../records/global-emr';
import { pullChanges } from '../sync/pull';
import { readSnapshotPage, readStayRows } from '../sync/snapshot';
import { createSnapshotReadahead } from '../sync/snapshot-readahead';
import type { ServerContext } from './context';
import { endpointRoutes, GzipBody, JsonText } from './device-route';
import { ApiError } from './errors';

export interface RouteOptions {
  attemptLimits: AttemptLimits;
}

/**
 * Each refused mutation at warn, with who sent it (device, user) and what was refused (table,
 * code), never its data: a cross-hospital reference or a forbidden change shows in the log.
 */
function logRejections(
  request: FastifyRequest,
  deviceId: string,
  mutations: readonly Mutation[],
  results: readonly MutationResult[],
): void {
  results.forEach((result, index) => {
    const mutation = mutations[index];
    if (result.status !== 'rejected' || !mutation) return;
    request.log.warn(
      {
        deviceId,
        userId: mutation.userId,
        mutationId: mutation.mutationId,
        table: mutation.table,
        op: mutation.op,
        code: result.reason?.code,
      },
      'mutation refused',
    );
  });
}

/** The endpoints of shared/endpoints.ts, each at the method and path declared there. */
export function registerRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  options: RouteOptions,
): void {
  const { pool } = ctx;
  const { publicRoute, deviceRoute, personRoute } = endpointRoutes(app, pool, ctx.now);

  publicRoute(ENDPOINTS.health, async ({ reply }) => {
    const answer = { status: 'ok', version: SERVER_VERSION, protocol: PROTOCOL_VERSION } as const;
    try {
      await pool.query('select 1');
      return { ...answer, db: 'ok' as const };
    } catch {
      reply.status(503);
      return { ...answer, db: 'down' as const };
    }
  });

  publicRoute(ENDPOINTS.enroll, async ({ body, request }) => {
    const now = ctx.now();
    // No device yet: the client's address is all there is to count by.
    await countAttempt(
      pool,
      `enroll address ${request.ip}`,
      options.attemptLimits.enrollPerAddress,
      now,
    );
    return enrollDevice(pool, { code: body.code, deviceName: body.deviceName, now });
  });

  deviceRoute(ENDPOINTS.login, ({ device, body }) =>
    loginStaff(pool, {
      email: body.email,
      password: body.password,
      signingKey: body.signingKey,
      device,
      now: ctx.now(),
      perDevice: options.attemptLimits.signInPerDevice,
    }),
  );

  deviceRoute(ENDPOINTS.changePassword, ({ device, body }) =>
    changeOwnPassword(pool, {
      email: body.email,
      password: body.currentPassword,
      newPassword: body.newPassword,
      device,
      now: ctx.now(),
      perDevice: options.attemptLimits.signInPerDevice,
    }),
  );

  // Recorded in signed_reads like every signed request: who reset whose password, from where.
  personRoute(
    ENDPOINTS.resetPassword,
    ({ params }) => ({ action: 'staff.password_reset', entity: 'users', entityId: params.userId }),
    ({ device, params, userId }) =>
      resetPassword(pool, { device, adminId: userId, userId: params.userId, now: ctx.now() }),
  );

  deviceRoute(ENDPOINTS.push, async ({ device, body, request }) => {
    const results = await pushSignedMutations(
      pool,
      { device, shapes: ctx.shapes, now: ctx.now, log: request.log },
      body.mutations,
      request.log,
    );
    logRejections(request, device.id, body.mutations, results);
    const serverTime = ctx.now();
    const clockSkewMs =
      body.deviceTime === undefined ? null : Date.parse(body.deviceTime) - serverTime.getTime();
    // Kept after the mutations: the status says what the workstation holds beyond this push.
    await recordDeviceStatus(pool, {
      deviceId: device.id,
      status: body.status ?? null,
      clockSkewMs,
      now: serverTime,
    });
    if (clockSkewMs === null) return { results };
    return { results, serverTime: serverTime.toISOString(), clockSkewMs };
  });

  deviceRoute(
    ENDPOINTS.pull,
    async ({ device, query }) =>
      new JsonText(
        await pullChanges(pool, {
          hospitalId: device.hospitalId,
          cursor: query.cursor,
          limit: query.limit,
          now: ctx.now(),
        }),
      ),
  );

  const snapshotPages = createSnapshotReadahead((device, query) =>
    readSnapshotPage(pool, ctx.shapes, { hospitalId: device.hospitalId, query, now: ctx.now() }),
  );
  app.addHook('onClose', () => {
    snapshotPages.close();
  });
  deviceRoute(
    ENDPOINTS.snapshot,
    async ({ device, query }) => new GzipBody(await snapshotPages.page(device, query)),
  );

  deviceRoute(ENDPOINTS.stay, async ({ device, params }) => {
    const stay = await readStayRows(pool, ctx.shapes, {
      hospitalId: device.hospitalId,
      visitId: params.visitId,
    });
    if (!stay)
      throw new ApiError(404, 'not_found', 'There is no stay of this hospital with that id.');
    return stay;
  });

  deviceRoute(ENDPOINTS.reserveIds, async ({ device, body }) => ({
    values: await reserveMrns(pool, {
      hospitalId: device.hospitalId,
      deviceId: device.id,
      count: body.count,
    }),
  }));

  deviceRoute(ENDPOINTS.pushAudit, ({ device, body, request }) =>
    receiveAuditEvents(pool, device, body.events, { now: ctx.now(), log: request.log }),
  );

  personRoute(
    ENDPOINTS.globalEmr,
    ({ params }) => ({ action: 'emr_global.read', entity: 'patients', entityId: params.patientId }),
    async ({ device, params }) => {
      const emr = await readGlobalEmr(pool, device, params.patientId);
      if (!emr)
        throw new ApiError(
          404,
          'not_found',
          'There is no global record for this patient that this device may read.',
        );
      return emr;
    },
  );

  personRoute(
    ENDPOINTS.devices,
    () => ({ action: 'devices.read', entity: 'devices', entityId: null }),
    async ({ device }) => ({ devices: await readFleet(pool, device.hospitalId) }),
  );

  // Recorded in signed_reads like every signed request: who revoked which workstation, from where.
  personRoute(
    ENDPOINTS.revokeDevice,
    ({ params }) => ({ action: 'devices.revoke', entity: 'devices', entityId: params.deviceId }),
    ({ device, params, userId }) =>
      revokeHospitalDevice(pool, {
        caller: device,
        deviceId: params.deviceId,
        adminId: userId,
        now: ctx.now(),
      }),
  );

  // Recorded in signed_reads like every signed request: who relayed which workstation's changes.
  personRoute(
    ENDPOINTS.rescueDevice,
    ({ params }) => ({ action: 'devices.rescue', entity: 'devices', entityId: params.deviceId }),
    ({ device, params, body, userId, request }) =>
      relayRescuedChanges(pool, {
        caller: device,
        adminId: userId,
        deviceId: params.deviceId,
        request: body,
        shapes: ctx.shapes,
        now: ctx.now,
        log: request.log,
      }),
  );

  personRoute(
    ENDPOINTS.accessReport,
    ({ query }) => ({
      action: 'audit.access_report.read',
      entity: query.patientId === undefined ? 'users' : 'patients',
      entityId: query.patientId ?? query.userId ?? null,
    }),
    async ({ device, query }) => {
      const report = await readAccessReport(pool, device, query);
      if (!report)
        throw new ApiError(404, 'not_found', 'There is no patient of this hospital with that id.');
      return report;
    },
  );

  personRoute(
    ENDPOINTS.breakGlassReview,
    () => ({ action: 'audit.break_glass_review.read', entity: 'audit_logs', entityId: null }),
    async ({ device }) => readBreakGlassReview(pool, device),
  );
}

import type { FastifyInstance } from 'fastify';
import { ENDPOINTS } from '../../shared/endpoints';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { SERVER_VERSION } from '../version';
import { readAccessReport } from '../audit/access-report';
import { receiveAuditEvents } from '../audit/receive-events';
import { pushSignedMutations } from '../authorship/signed-push';
import { loginStaff } from '../auth/login';
import { enrollDevice } from '../devices/enrollment';
import { reserveMrns } from '../ids/reserve-mrns';
import { readGlobalEmr } from '../records/global-emr';
import { pullChanges } from '../sync/pull';
import type { ServerContext } from './context';
import { endpointRoutes, JsonText } from './device-route';
import { ApiError } from './errors';

export interface RouteOptions {
  loginRateLimit: { max: number; timeWindowMs: number };
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

  publicRoute(ENDPOINTS.enroll, ({ body }) =>
    enrollDevice(pool, { code: body.code, deviceName: body.deviceName, now: ctx.now() }),
  );

  deviceRoute(
    ENDPOINTS.login,
    ({ device, body }) =>
      loginStaff(pool, {
        email: body.email,
        password: body.password,
        signingKey: body.signingKey,
        device,
        now: ctx.now(),
      }),
    {
      rateLimit: {
        max: options.loginRateLimit.max,
        timeWindow: options.loginRateLimit.timeWindowMs,
      },
    },
  );

  deviceRoute(ENDPOINTS.push, async ({ device, body, request }) => {
    const results = await pushSignedMutations(
      pool,
      { device, shapes: ctx.shapes, now: ctx.now, log: request.log },
      body.mutations,
      request.log,
    );
    if (body.deviceTime === undefined) return { results };
    const serverTime = ctx.now();
    return {
      results,
      serverTime: serverTime.toISOString(),
      clockSkewMs: Date.parse(body.deviceTime) - serverTime.getTime(),
    };
  });

  deviceRoute(
    ENDPOINTS.pull,
    async ({ device, query }) =>
      new JsonText(
        await pullChanges(pool, {
          hospitalId: device.hospitalId,
          cursor: query.cursor,
          limit: query.limit,
        }),
      ),
  );

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
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  AuditPushRequestSchema,
  EnrollRequestSchema,
  LoginRequestSchema,
  PullQuerySchema,
  PushRequestSchema,
  ReserveIdsRequestSchema,
  type PushResponse,
} from '../../shared/protocol';
import { IdSchema } from '../../shared/schemas/common';
import type { ServerContext } from '../app';
import { SERVER_VERSION } from '../version';
import { receiveAuditEvents } from '../audit/receive-events';
import { loginStaff } from '../auth/login';
import { enrollDevice } from '../devices/enrollment';
import { reserveMrns } from '../ids/reserve-mrns';
import { readGlobalEmr } from '../records/global-emr';
import { pullChanges } from '../sync/pull';
import { pushMutations } from '../sync/push';
import { ApiError, parseInput } from './errors';

export interface RouteOptions {
  loginRateLimit: { max: number; timeWindowMs: number };
  maxPushBatch: number;
}

const PatientParamsSchema = z.object({ patientId: IdSchema });

export function registerRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  options: RouteOptions,
): void {
  const { pool } = ctx;

  app.get('/v1/health', async (_request, reply) => {
    try {
      await pool.query('select 1');
      return { status: 'ok', db: 'ok', version: SERVER_VERSION };
    } catch {
      return reply.status(503).send({ status: 'ok', db: 'down', version: SERVER_VERSION });
    }
  });

  app.post('/v1/devices/enroll', async (request) => {
    const body = parseInput(EnrollRequestSchema, request.body);
    return enrollDevice(pool, { code: body.code, deviceName: body.deviceName, now: ctx.now() });
  });

  app.post(
    '/v1/auth/login',
    {
      config: {
        rateLimit: {
          max: options.loginRateLimit.max,
          timeWindow: options.loginRateLimit.timeWindowMs,
        },
      },
    },
    async (request) => {
      const device = await ctx.authenticate(request);
      const body = parseInput(LoginRequestSchema, request.body);
      return loginStaff(pool, {
        email: body.email,
        password: body.password,
        device,
        now: ctx.now(),
      });
    },
  );

  app.post('/v1/sync/push', async (request): Promise<PushResponse> => {
    const device = await ctx.authenticate(request);
    const body = parseInput(PushRequestSchema, request.body);
    const results = await pushMutations(
      pool,
      { device, shapes: ctx.shapes, now: ctx.now },
      body.mutations,
    );
    if (body.deviceTime === undefined) return { results };
    const serverTime = ctx.now();
    return {
      results,
      serverTime: serverTime.toISOString(),
      clockSkewMs: Date.parse(body.deviceTime) - serverTime.getTime(),
    };
  });

  app.get('/v1/sync/pull', async (request, reply) => {
    const device = await ctx.authenticate(request);
    const query = parseInput(PullQuerySchema, request.query);
    const page = await pullChanges(pool, {
      hospitalId: device.hospitalId,
      cursor: query.cursor,
      limit: query.limit,
    });
    return reply.type('application/json; charset=utf-8').send(page);
  });

  app.post('/v1/ids/reserve', async (request) => {
    const device = await ctx.authenticate(request);
    const body = parseInput(ReserveIdsRequestSchema, request.body);
    return {
      values: await reserveMrns(pool, {
        hospitalId: device.hospitalId,
        deviceId: device.id,
        count: body.count,
      }),
    };
  });

  app.post('/v1/audit/push', async (request) => {
    const device = await ctx.authenticate(request);
    const body = parseInput(AuditPushRequestSchema, request.body);
    return receiveAuditEvents(pool, device, body.events);
  });

  app.get('/v1/emr/global/:patientId', async (request) => {
    const device = await ctx.authenticate(request);
    const { patientId } = parseInput(PatientParamsSchema, request.params);
    const emr = await readGlobalEmr(pool, device, patientId);
    if (!emr)
      throw new ApiError(
        404,
        'not_found',
        'There is no global record for this patient that this device may read.',
      );
    return emr;
  });
}

import rateLimit from '@fastify/rate-limit';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import type pg from 'pg';
import pino from 'pino';
import { MAX_PUSH_BATCH } from '../shared/protocol';
import { findDeviceByToken, type AuthenticatedDevice } from './devices/enrollment';
import { ApiError, sendError } from './http/errors';
import { registerRoutes } from './http/routes';
import { loadTableShapes, type TableShapes } from './sync/table-shapes';

export interface ServerOptions {
  pool: pg.Pool;
  /** Injectable clock: lockouts, enrollment expiry and timestamps read it. */
  now?: () => Date;
  /** pino options, `false` for silence (tests). */
  logger?: boolean | { level: string };
  /** Largest request body, bytes. 500 mutations of a rich row fit in the default. */
  bodyLimit?: number;
  /** Sign-in attempts per client address per window. */
  loginRateLimit?: { max: number; timeWindowMs: number };
}

export interface ServerContext {
  pool: pg.Pool;
  shapes: TableShapes;
  now: () => Date;
  /** The enrolled device behind the request's bearer token; 401 otherwise. */
  authenticate(request: FastifyRequest): Promise<AuthenticatedDevice>;
}

/** Nothing secret may reach a log line, whatever a future log call includes. */
const REDACT = [
  'req.headers.authorization',
  'headers.authorization',
  '*.password',
  '*.passwordHash',
  '*.deviceToken',
  '*.token',
  '*.code',
];

export const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;

/** The /v1 HTTP server over a Postgres pool; listen on it or inject() into it. */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const logger = options.logger ?? { level: 'info' };
  // Logs go to stderr: stdout carries only the `listening on` line scripts wait for.
  const loggerInstance: FastifyBaseLogger | undefined =
    logger === false
      ? undefined
      : pino(
          {
            level: logger === true ? 'info' : logger.level,
            redact: { paths: REDACT, censor: '[redacted]' },
          },
          pino.destination({ fd: 2, sync: false }),
        );
  const app = Fastify({
    ...(loggerInstance ? { loggerInstance } : {}),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Fastify's JSON parser refuses __proto__ and constructor keys rather than letting them through.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
  });
  const now = options.now ?? (() => new Date());
  const ctx: ServerContext = {
    pool: options.pool,
    shapes: await loadTableShapes(options.pool),
    now,
    authenticate: async (request) => {
      const header = request.headers.authorization ?? '';
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      const device = token ? await findDeviceByToken(options.pool, token) : null;
      if (!device)
        throw new ApiError(
          401,
          'unauthorized',
          'This device is not enrolled, or its enrollment was revoked.',
        );
      return device;
    },
  };
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: {
        code: 'not_found',
        message: `There is no ${request.method} ${request.url.split('?')[0] ?? ''}.`,
      },
    }),
  );
  await app.register(rateLimit, { global: false });
  registerRoutes(app, ctx, {
    loginRateLimit: options.loginRateLimit ?? { max: 20, timeWindowMs: 60_000 },
    maxPushBatch: MAX_PUSH_BATCH,
  });
  return app;
}

import { createServer as createHttpsServer } from 'node:https';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerFactory,
} from 'fastify';
import type pg from 'pg';
import pino from 'pino';
import { DEFAULT_ATTEMPT_LIMITS, type AttemptLimits } from './auth/attempt-limits';
import type { ServerContext } from './http/context';
import { MAX_REQUEST_BYTES } from '../shared/protocol';
import { ApiError, sendError } from './http/errors';
import { blobStores } from './attachments/blob-bytes';
import { databaseBytes } from './attachments/database-bytes';
import { folderBytes } from './attachments/folder-bytes';
import { registerAttachmentRoutes } from './attachments/routes';
import { registerRoutes } from './http/routes';
import { consoleLogStream } from './logging/console-log';
import { observeRequests } from './metrics/http-metrics';
import { watchDatabase, type ServerMetrics } from './metrics/server-metrics';
import { scheduleFeedCompaction } from './sync/feed-compaction';
import type { FeedRetentionConfig } from './sync/feed-retention';
import { loadTableShapes } from './sync/table-shapes';

export interface ServerOptions {
  pool: pg.Pool;
  /** Injectable clock: lockouts, enrollment expiry and timestamps read it. */
  now?: () => Date;
  /** pino options, `false` for silence (tests). */
  logger?: boolean | { level: string };
  /** Where log lines go: stderr unless said (a test reads them from a stream of its own). */
  logDestination?: pino.DestinationStream;
  /** JSON lines (the default, for machines) or one readable line per event (a terminal). */
  logFormat?: 'json' | 'pretty';
  /** Counted into by every request (server/metrics); served elsewhere (`serve --metrics-port`). */
  metrics?: ServerMetrics;
  /** Largest request body, bytes. 500 mutations of a rich row fit in the default. */
  bodyLimit?: number;
  /** Sign-in attempts per device, enrollment attempts per client address (attempt-limits.ts). */
  attemptLimits?: Partial<AttemptLimits>;
  /** PEM certificate (chain) and key: the server then speaks HTTPS only (`serve --tls-cert`). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /**
   * A TLS-terminating reverse proxy stands in front (`serve --trust-proxy`): the client's address
   * is the one that proxy saw, the last hop of X-Forwarded-For. Anything further left in that
   * header was written by the client itself and is not believed.
   */
  trustProxy?: boolean;
  /**
   * Feed retention (`serve --feed-horizon-days`, docs/SERVER.md): with it, the server compacts
   * the change feed every `compactEveryMinutes` while it listens. Without it, never (tests).
   */
  feedRetention?: FeedRetentionConfig;
  /**
   * The folder attachment files are kept in (`serve`: `<data-dir>/attachments`, or
   * `--attachments-dir`). Without it, new files go to PostgreSQL (`serve --attachments-in-database`,
   * tests that ask for it). Files already stored are read from wherever they were stored.
   */
  attachmentsDir?: string;
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

export const DEFAULT_BODY_LIMIT = MAX_REQUEST_BYTES;

/**
 * On close, requests in flight finish and every kept-alive connection is closed as soon as it
 * goes idle. Node closes the idle ones once, when the server starts closing; one busy at that
 * moment was then held until its keep-alive timeout (Fastify's 72 s), so a server restarted while
 * a workstation was pushing took over a minute to exit (found by the soak's server-restart runs).
 */
function closeConnectionsAsTheyGoIdle(app: FastifyInstance) {
  let sweeping: NodeJS.Timeout | null = null;
  app.addHook('preClose', (done) => {
    sweeping = setInterval(() => {
      app.server.closeIdleConnections();
    }, 100);
    sweeping.unref();
    done();
  });
  app.addHook('onClose', (_instance, done) => {
    if (sweeping) clearInterval(sweeping);
    done();
  });
}

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
          options.logDestination ??
            (options.logFormat === 'pretty'
              ? consoleLogStream((text) => process.stderr.write(text))
              : pino.destination({ fd: 2, sync: false })),
        );
  const { tls } = options;
  // Fastify's own `https` option would type the instance apart from the plain one every caller
  // holds; an https.Server is an http.Server to Node's types, so it is made here instead.
  const serverFactory: FastifyServerFactory | undefined = tls
    ? (handler) => createHttpsServer({ cert: tls.cert, key: tls.key }, handler)
    : undefined;
  const app = Fastify({
    ...(loggerInstance ? { loggerInstance } : {}),
    ...(serverFactory ? { serverFactory } : {}),
    // Only the proxy right in front (hop 0, the socket's peer) is believed about the client.
    ...(options.trustProxy ? { trustProxy: (_address: string, hop: number) => hop < 1 } : {}),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Fastify's JSON parser refuses __proto__ and constructor keys rather than letting them through.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
  });
  closeConnectionsAsTheyGoIdle(app);
  const now = options.now ?? (() => new Date());
  const ctx: ServerContext = {
    pool: options.pool,
    shapes: await loadTableShapes(options.pool),
    now,
  };
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      new ApiError(
        404,
        'not_found',
        `There is no ${request.method} ${request.url.split('?')[0] ?? ''}.`,
      ),
      request,
      reply,
    ),
  );
  if (options.metrics) {
    observeRequests(app, options.metrics);
    watchDatabase(options.metrics, options.pool);
  }
  const retention = options.feedRetention;
  if (retention && retention.compactEveryMinutes > 0) {
    let stop: (() => Promise<void>) | null = null;
    app.addHook('onReady', (done) => {
      stop = scheduleFeedCompaction(options.pool, {
        horizonDays: retention.horizonDays,
        everyMinutes: retention.compactEveryMinutes,
        batchSize: retention.batchSize,
        now,
        log: app.log,
      });
      done();
    });
    app.addHook('onClose', async () => {
      await stop?.();
    });
  }
  registerRoutes(app, ctx, {
    attemptLimits: { ...DEFAULT_ATTEMPT_LIMITS, ...options.attemptLimits },
  });
  registerAttachmentRoutes(
    app,
    options.pool,
    blobStores(
      databaseBytes,
      options.attachmentsDir === undefined ? null : folderBytes(options.attachmentsDir),
    ),
    now,
  );
  return app;
}

/**
 * Feeds the server's metrics from Fastify's request lifecycle, so that no route handler has to
 * remember to: every answer is counted by its route template and status, a push's and a pull's
 * time is measured, and a push answer's results are counted by outcome.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ENDPOINTS } from '../../shared/endpoints';
import { RESULT_STATUSES } from '../../shared/protocol';
import { countPushOutcomes, type ServerMetrics } from './server-metrics';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** Only what is counted is read back from the answer: the status of each result. */
const PushOutcomesSchema = z.object({
  results: z.array(z.object({ status: z.enum(RESULT_STATUSES) })),
});

/** The declared path, never the requested one: ids stay out of labels, and so do made-up paths. */
function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function observeRequests(app: FastifyInstance, metrics: ServerMetrics): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    if (
      routeOf(request) === ENDPOINTS.push.path &&
      reply.statusCode === 200 &&
      typeof payload === 'string'
    ) {
      const parsed = PushOutcomesSchema.safeParse(readJson(payload));
      if (parsed.success) countPushOutcomes(metrics, parsed.data.results);
    }
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = routeOf(request);
    const method = METHODS.has(request.method) ? request.method : 'OTHER';
    const seconds = reply.elapsedTime / 1000;
    metrics.requests.inc({ method, route, status: String(reply.statusCode) });
    metrics.requestSeconds.observe({ method, route }, seconds);
    if (route === ENDPOINTS.push.path) metrics.pushSeconds.observe(seconds);
    if (route === ENDPOINTS.pull.path) metrics.pullSeconds.observe(seconds);
    done();
  });
}

/**
 * The metrics on their own listener (`serve --metrics-port`), 127.0.0.1 unless told otherwise:
 * the workstations' port never serves them, and nothing on them needs a token.
 */
export async function startMetricsServer(
  metrics: ServerMetrics,
  options: { host: string; port: number },
): Promise<{ url: string; close: () => Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { url: `http://${host}:${port}/metrics`, close: () => app.close() };
}

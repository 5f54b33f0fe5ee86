/**
 * What IT's monitoring (Prometheus, or anything that reads its text format) sees of a running
 * server: requests by route and status, push and pull rates and latency, what became of the
 * mutations pushed, how long ago each workstation was last heard from, and the database pool.
 * prom-client is the maintained Prometheus client for Node: it writes the exposition format and
 * the process's own figures (memory, event loop lag) so that we do not.
 *
 * Labels never carry a patient value, a token or an id: routes are the declared templates
 * (`/v1/emr/global/:patientId`), not the requested paths.
 */
import type pg from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { RESULT_STATUSES, type MutationResult } from '../../shared/protocol';

export interface ServerMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  requestSeconds: Histogram<'method' | 'route'>;
  pushSeconds: Histogram;
  pullSeconds: Histogram;
  mutations: Counter<'outcome'>;
}

/** A workstation's time since it was last heard from; revoked ones are not counted. */
export const SYNC_AGES = ['under_1h', '1h_to_1d', '1d_to_7d', 'over_7d', 'never'] as const;

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createServerMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics: ServerMetrics = {
    registry,
    requests: new Counter({
      name: 'wardline_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status code.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: 'wardline_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method and route template.',
      labelNames: ['method', 'route'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    pushSeconds: new Histogram({
      name: 'wardline_sync_push_duration_seconds',
      help: 'Time to answer a sync push (its _count is the number of pushes).',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    pullSeconds: new Histogram({
      name: 'wardline_sync_pull_duration_seconds',
      help: 'Time to answer a sync pull page (its _count is the number of pages).',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    mutations: new Counter({
      name: 'wardline_sync_mutations_total',
      help: 'Pushed mutations by outcome: applied, duplicate (a resend), conflict, rejected.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
  for (const outcome of RESULT_STATUSES) metrics.mutations.inc({ outcome }, 0);
  return metrics;
}

/**
 * The figures read from the database at each scrape. The pool's are registered first: a scrape
 * collects in this order, so they are read before the device count takes a connection itself.
 */
export function watchDatabase(metrics: ServerMetrics, pool: pg.Pool): void {
  new Gauge({
    name: 'wardline_db_pool_connections',
    help: 'Connections of the database pool: all of them, and the idle ones.',
    labelNames: ['state'],
    registers: [metrics.registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
    },
  });
  new Gauge({
    name: 'wardline_db_pool_waiting_requests',
    help: 'Queries waiting for a free connection of the database pool.',
    registers: [metrics.registry],
    collect() {
      this.set(pool.waitingCount);
    },
  });
  new Gauge({
    name: 'wardline_devices',
    help: 'Enrolled, unrevoked workstations by the time since the server last heard from them (at most a minute off).',
    labelNames: ['last_seen'],
    registers: [metrics.registry],
    async collect() {
      // A database that does not answer leaves these out rather than failing the whole scrape.
      const counts = await countDevicesBySyncAge(pool).catch(() => null);
      this.reset();
      if (counts) for (const age of SYNC_AGES) this.set({ last_seen: age }, counts[age]);
    },
  });
}

export function countPushOutcomes(
  metrics: ServerMetrics,
  results: readonly Pick<MutationResult, 'status'>[],
): void {
  for (const result of results) metrics.mutations.inc({ outcome: result.status });
}

async function countDevicesBySyncAge(
  pool: pg.Pool,
): Promise<Record<(typeof SYNC_AGES)[number], number>> {
  const { rows } = await pool.query<{ age: (typeof SYNC_AGES)[number]; devices: number }>(
    `select case
              when last_seen_at is null then 'never'
              when last_seen_at > now() - interval '1 hour' then 'under_1h'
              when last_seen_at > now() - interval '1 day' then '1h_to_1d'
              when last_seen_at > now() - interval '7 days' then '1d_to_7d'
              else 'over_7d'
            end as age,
            count(*)::int as devices
       from devices
      where revoked_at is null
      group by 1`,
  );
  const counts = Object.fromEntries(SYNC_AGES.map((age) => [age, 0])) as Record<
    (typeof SYNC_AGES)[number],
    number
  >;
  for (const row of rows) counts[row.age] = row.devices;
  return counts;
}

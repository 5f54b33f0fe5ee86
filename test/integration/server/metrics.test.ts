/**
 * IT's monitoring scrapes the server on a port of its own: after a ward pushes, the counters have
 * moved (pushes, their outcomes, requests by route), the enrolled workstation is counted as
 * recently seen, and nothing in the text is a patient's value or a device token. The
 * workstations' port does not serve the metrics at all.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startMetricsServer } from '../../../server/metrics/http-metrics';
import { createServerMetrics } from '../../../server/metrics/server-metrics';
import {
  call,
  enroll,
  mutation,
  patientRow,
  push,
  receptionId,
  startTestServer,
  vitalsRow,
  type Device,
  type TestServer,
} from './harness';

let server: TestServer;
let metricsServer: Awaited<ReturnType<typeof startMetricsServer>>;
let ward: Device;

beforeAll(async () => {
  const metrics = createServerMetrics();
  server = await startTestServer({ metrics });
  metricsServer = await startMetricsServer(metrics, { host: '127.0.0.1', port: 0 });
  ward = await enroll(server);
});
afterAll(async () => {
  await metricsServer.close();
  await server.close();
});

async function scrape(): Promise<string> {
  const response = await fetch(metricsServer.url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

/** The value of one series, e.g. `wardline_sync_mutations_total{outcome="applied"}`. */
function valueOf(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
}

test('after a push the counters moved, and no patient value or token is in the text', async () => {
  const before = await scrape();
  expect(valueOf(before, 'wardline_sync_mutations_total{outcome="applied"}')).toBe(0);

  const patient = patientRow({ firstName: 'Philippa', lastName: 'Quartermaine-Zed' });
  const notes = 'Complains of chest pain radiating to the left arm';
  const admitted = mutation({
    table: 'patients',
    op: 'insert',
    id: randomUUID(),
    userId: receptionId,
    data: patient,
  });
  const charted = mutation({
    table: 'vitals',
    op: 'insert',
    id: randomUUID(),
    data: vitalsRow(0, { notes, heartRate: 131 }),
  });
  const unknown = mutation({ table: 'no_such_table', op: 'insert', id: randomUUID(), data: {} });
  const results = await push(server, ward, [admitted, charted, unknown]);
  expect(results.map((result) => result.status)).toEqual(['applied', 'applied', 'rejected']);
  const resent = await push(server, ward, [charted]);
  expect(resent[0]?.status).toBe('duplicate');
  const pulled = await call(server, ward, 'GET', '/v1/sync/pull?limit=10');
  expect(pulled.status).toBe(200);

  const after = await scrape();
  expect(valueOf(after, 'wardline_sync_mutations_total{outcome="applied"}')).toBe(2);
  expect(valueOf(after, 'wardline_sync_mutations_total{outcome="rejected"}')).toBe(1);
  expect(valueOf(after, 'wardline_sync_mutations_total{outcome="duplicate"}')).toBe(1);
  expect(valueOf(after, 'wardline_sync_mutations_total{outcome="conflict"}')).toBe(0);
  expect(valueOf(after, 'wardline_sync_push_duration_seconds_count')).toBe(2);
  expect(valueOf(after, 'wardline_sync_pull_duration_seconds_count')).toBe(1);
  expect(
    valueOf(
      after,
      'wardline_http_requests_total{method="POST",route="/v1/sync/push",status="200"}',
    ),
  ).toBe(2);
  expect(
    valueOf(
      after,
      'wardline_http_requests_total{method="POST",route="/v1/devices/enroll",status="200"}',
    ),
  ).toBe(1);
  expect(valueOf(after, 'wardline_devices{last_seen="under_1h"}')).toBe(1);
  expect(valueOf(after, 'wardline_devices{last_seen="never"}')).toBe(0);
  expect(valueOf(after, 'wardline_db_pool_connections{state="total"}')).toBeGreaterThan(0);
  expect(valueOf(after, 'wardline_db_pool_waiting_requests')).toBe(0);

  for (const secret of [
    patient.firstName,
    patient.lastName,
    patient.mrn,
    notes,
    admitted.id,
    ward.token,
    ward.id,
  ])
    expect(after).not.toContain(String(secret));
});

test('a path the server does not know is counted under one label, not by what was asked', async () => {
  await call(server, null, 'GET', '/v1/patients/MRN-0042-Quartermaine');
  const text = await scrape();
  expect(text).not.toContain('Quartermaine');
  expect(
    valueOf(text, 'wardline_http_requests_total{method="GET",route="unmatched",status="404"}'),
  ).toBeGreaterThanOrEqual(1);
});

test("the workstations' port does not serve the metrics, with or without a device token", async () => {
  expect((await call(server, null, 'GET', '/metrics')).status).toBe(404);
  expect((await call(server, ward, 'GET', '/metrics')).status).toBe(404);
});

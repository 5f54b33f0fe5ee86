/**
 * A server told to stop (SIGTERM: `serve` calls app.close()) lets the requests in flight finish
 * and then exits at once: the kept-alive connection of a workstation whose push was in flight is
 * closed as soon as its answer is sent, not held for the keep-alive timeout (Fastify's 72 s,
 * longer than this test's timeout), which kept a restarting server up for over a minute.
 */
import { once } from 'node:events';
import { Agent, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildServer } from '../../../server/app';
import { ENDPOINTS } from '../../../shared/endpoints';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

test('a push in flight when the server stops is answered, and the server then closes', async () => {
  const app = await buildServer({ pool: database.db.$client, logger: false });
  const arrivals: string[] = [];
  app.addHook('onRequest', (request, _reply, done) => {
    arrivals.push(request.url);
    app.server.emit('wardline:arrived');
    done();
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  // A workstation's connection, kept alive between requests as undici keeps it.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = JSON.stringify({ mutations: [] });
  const push = request({
    host: '127.0.0.1',
    port,
    path: ENDPOINTS.push.path,
    method: 'POST',
    agent,
    headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
  });
  const answered = once(push, 'response') as Promise<[IncomingMessage]>;
  const [socket] = (await once(push, 'socket')) as [NodeJS.Socket];
  const socketClosed = once(socket, 'close');
  // Half the body is on the wire, and the server has the request, when it is told to stop.
  const arrived = once(app.server, 'wardline:arrived');
  push.write(body.slice(0, 5));
  await arrived;
  const closing = app.close();
  push.end(body.slice(5));

  const [response] = await answered;
  response.resume();
  // Answered in full (no device token here: a 401), not cut off, nor refused as too late.
  expect(response.statusCode).toBe(401);
  expect(arrivals).toEqual([ENDPOINTS.push.path]);
  await closing;
  await socketClosed;
  agent.destroy();
});

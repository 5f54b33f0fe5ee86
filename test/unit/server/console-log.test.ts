/**
 * The console of `npm start` and `npm run demo:web`: a real Fastify server logging through pino
 * into the readable stream shows one line per request (method, path without its query string,
 * status, time) and one per other event, never pino's JSON.
 */
import Fastify from 'fastify';
import pino from 'pino';
import { expect, test } from 'vitest';
import { consoleLogStream, formatLogLine } from '../../../server/logging/console-log';

test('a request is one line when it completes; other events show their message and fields', async () => {
  const lines: string[] = [];
  const logger = pino(
    { level: 'info' },
    consoleLogStream((text) => lines.push(text)),
  );
  const app = Fastify({ loggerInstance: logger });
  app.get('/v1/sync/pull', (request) => {
    request.log.info(
      { deviceId: 'd-1', mutations: 3 },
      'push: the batch is redone one mutation at a time',
    );
    return Promise.resolve({ ok: true });
  });
  await app.ready();
  const answer = await app.inject({ method: 'GET', url: '/v1/sync/pull?cursor=abc&limit=10' });
  expect(answer.statusCode).toBe(200);
  await app.close();

  const text = lines.join('');
  expect(text).not.toContain('{');
  expect(text).not.toContain('cursor=abc');
  const [event, request] = lines;
  expect(event).toMatch(
    /^\d\d:\d\d:\d\d INFO push: the batch is redone one mutation at a time deviceId=d-1 mutations=3\n$/,
  );
  expect(request).toMatch(/^\d\d:\d\d:\d\d GET \/v1\/sync\/pull 200 \d+ ms\n$/);
});

test('an error names its type and message; a line that is not JSON is passed on unchanged', () => {
  const error = formatLogLine(
    JSON.stringify({
      level: 50,
      time: 0,
      msg: 'push failed',
      err: { type: 'Error', message: 'deadlock detected' },
    }),
  );
  expect(error).toMatch(/^\d\d:\d\d:\d\d ERROR push failed \(Error: deadlock detected\)$/);
  expect(formatLogLine('plain words')).toBe('plain words');
});

/**
 * A read whose kept-alive connection the server closed under it is sent once more on a new one
 * (docs/SYNC.md "Snapshot first sync", the pull after it); a push is never re-sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncTransport } from '../../../main/sync/transport';
import { PROTOCOL_VERSION } from '../../../shared/protocol';

describe('a connection closed under a request', () => {
  let server: Server;
  let url = '';
  const seen: string[] = [];

  beforeAll(async () => {
    // Every first request of a path finds its connection closed without an answer.
    server = createServer((request, response) => {
      const key = `${request.method ?? ''} ${request.url ?? ''}`;
      const first = !seen.includes(key);
      seen.push(key);
      if (first) {
        request.socket.destroy();
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({ status: 'ok', db: 'ok', version: 'test', protocol: PROTOCOL_VERSION }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends a read once more, and a push not at all', async () => {
    const transport = createSyncTransport({ baseUrl: url, deviceToken: () => 'token' });
    const health = await transport.health();
    expect(health.status).toBe('ok');
    expect(seen.filter((key) => key === 'GET /v1/health')).toHaveLength(2);

    await expect(
      transport.push({ deviceId: 'd', mutations: [] } as unknown as Parameters<
        typeof transport.push
      >[0]),
    ).rejects.toMatchObject({ kind: 'unreachable' });
    expect(seen.filter((key) => key.startsWith('POST'))).toHaveLength(1);
  });
});

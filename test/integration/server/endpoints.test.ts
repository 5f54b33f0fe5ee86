/**
 * The server serves shared/endpoints.ts as declared: each endpoint at its method and path, every
 * device endpoint behind the device check before its input is even read, and the client's
 * address taken from a reverse proxy only when told to trust one.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildServer } from '../../../server/app';
import { ENDPOINTS, endpointPath } from '../../../shared/endpoints';
import { startTestServer, type TestServer } from './harness';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** Parameters for any endpoint's path (the others ignore them). */
const params = {
  patientId: '0190e6b0-0000-7000-8000-000000000001',
  userId: '0190e6b0-0000-7000-8000-000000000002',
  deviceId: '0190e6b0-0000-7000-8000-000000000003',
  visitId: '0190e6b0-0000-7000-8000-000000000004',
};

describe('the endpoints of the protocol', () => {
  test('are each served at the method and path shared/endpoints.ts declares', () => {
    for (const endpoint of Object.values(ENDPOINTS))
      expect(
        server.app.hasRoute({ method: endpoint.method, url: endpoint.path }),
        endpoint.path,
      ).toBe(true);
  });

  test('that need a device answer 401 to a caller without one, whatever the input', async () => {
    // A person's read needs a device too, before anything else is looked at.
    const guarded = Object.values(ENDPOINTS).filter((endpoint) => endpoint.access !== 'public');
    // The protocol's six, the fleet read, the access report, the two password extensions and
    // the Devices screen's revoke, the snapshot and stay extensions, the break-glass review, the
    // rescue relay.
    expect(guarded.map((endpoint) => endpoint.path)).toHaveLength(15);
    for (const endpoint of guarded) {
      const response = await server.app.inject({
        method: endpoint.method,
        url: `${endpointPath(endpoint, params)}${endpoint.method === 'GET' ? '?limit=nonsense' : ''}`,
        ...(endpoint.method === 'POST'
          ? { payload: '{"not":"what it takes"}', headers: { 'content-type': 'application/json' } }
          : {}),
      });
      expect(response.statusCode, endpoint.path).toBe(401);
      expect(response.json(), endpoint.path).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  test('that are public answer without a device, and a malformed body names its field', async () => {
    const health = await server.app.inject({ method: 'GET', url: ENDPOINTS.health.path });
    expect(health.json()).toMatchObject({ status: 'ok', db: 'ok', protocol: 2 });
    const enroll = await server.app.inject({
      method: 'POST',
      url: ENDPOINTS.enroll.path,
      payload: { code: 'ABCDEF' },
    });
    expect(enroll.statusCode).toBe(400);
    expect(enroll.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'invalid_request',
    });
    expect(enroll.json<{ error: { message: string } }>().error.message).toContain('deviceName');
  });
});

describe('the client address behind a reverse proxy', () => {
  async function addressSeen(trustProxy: boolean): Promise<string> {
    const app = await buildServer({ pool: server.database.db.$client, logger: false, trustProxy });
    app.get('/address-probe', (request) => ({ ip: request.ip }));
    const response = await app.inject({
      method: 'GET',
      url: '/address-probe',
      remoteAddress: '10.0.0.5',
      // The client wrote the first entry itself; the proxy appended the address it saw.
      headers: { 'x-forwarded-for': '203.0.113.66, 192.0.2.44' },
    });
    await app.close();
    return response.json<{ ip: string }>().ip;
  }

  test('is the socket peer, unless --trust-proxy: then the address the proxy saw', async () => {
    expect(await addressSeen(false)).toBe('10.0.0.5');
    expect(await addressSeen(true)).toBe('192.0.2.44');
  });
});

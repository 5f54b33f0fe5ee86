/**
 * How every endpoint of shared/endpoints.ts is served, in one place: for a `device` endpoint the
 * bearer token of an enrolled, unrevoked device is checked first (401 otherwise); the body, query
 * and path parameters are parsed with the endpoint's schemas (400 naming the field); a `person`
 * endpoint is also signed by the person reading, who must hold its permission (401, 403), and
 * the read is recorded; a failure thrown anywhere leaves in the contract's error shape
 * (errors.ts). A handler cannot forget any of it, nor serve an endpoint at another path or
 * method than the workstation calls.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import type { z } from 'zod';
import type { Endpoint } from '../../shared/endpoints';
import type { Permission } from '../../shared/permissions';
import { authorizeSignedRead, recordSignedRead, type ReadSubject } from '../authorship/signed-read';
import { findDeviceByToken, type AuthenticatedDevice } from '../devices/enrollment';
import { ApiError, parseInput } from './errors';

type Parsed<Schema> = Schema extends z.ZodType ? z.infer<Schema> : undefined;

export interface PublicCall<E extends Endpoint> {
  body: Parsed<E['body']>;
  query: Parsed<E['query']>;
  params: Parsed<E['params']>;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface DeviceCall<E extends Endpoint> extends PublicCall<E> {
  device: AuthenticatedDevice;
}

export interface PersonCall<E extends Endpoint> extends DeviceCall<E> {
  /** The person whose signature the read carries, allowed the endpoint's permission. */
  userId: string;
}

/**
 * An answer already written as JSON text, sent as it is: a pull page is assembled from the
 * change feed's JSON (server/sync/pull.ts), and a first pull of a million rows is not parsed
 * and serialised again.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

/**
 * An answer already gzip-compressed, sent as `application/gzip` (a snapshot page): the
 * workstation counts and inflates the bytes itself, whatever a proxy on the way does.
 */
export class GzipBody {
  constructor(readonly bytes: Buffer) {}
}

/** What a handler answers: the shape the workstation's schema reads (z.input: before defaults). */
type Answer<E extends Endpoint> = Promise<z.input<E['answer']> | JsonText | GzipBody>;

async function send(reply: FastifyReply, answer: Promise<unknown>): Promise<unknown> {
  const value = await answer;
  if (value instanceof GzipBody) return reply.type('application/gzip').send(value.bytes);
  if (!(value instanceof JsonText)) return value;
  return reply.type('application/json; charset=utf-8').send(value.text);
}

/**
 * A refused request (bad input, a wrong password, a lock, a limit) is logged at warn with the ids
 * that say who asked, never the token, password or patient data.
 */
function logRefusal(request: FastifyRequest, error: unknown, deviceId: string | null): void {
  if (!(error instanceof ApiError) || error.statusCode >= 500) return;
  request.log.warn(
    { deviceId, status: error.statusCode, code: error.code, ...error.details.log },
    'request refused',
  );
}

async function logged<T>(request: FastifyRequest, deviceId: string | null, run: () => Promise<T>) {
  try {
    return await run();
  } catch (error) {
    logRefusal(request, error, deviceId);
    throw error;
  }
}

/** The enrolled device behind the request's bearer token; 401 otherwise. */
export async function authenticateDevice(
  pool: pg.Pool,
  request: FastifyRequest,
): Promise<AuthenticatedDevice> {
  const header = request.headers.authorization ?? '';
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const device = token ? await findDeviceByToken(pool, token) : null;
  if (!device)
    throw new ApiError(
      401,
      'unauthorized',
      'This device is not enrolled, or its enrollment was revoked.',
    );
  return device;
}

function parseCall<E extends Endpoint>(
  endpoint: E,
  request: FastifyRequest,
  reply: FastifyReply,
): PublicCall<E> {
  const parse = (schema: z.ZodType | undefined, input: unknown) =>
    schema ? parseInput(schema, input) : undefined;
  return {
    body: parse(endpoint.body, request.body) as Parsed<E['body']>,
    query: parse(endpoint.query, request.query) as Parsed<E['query']>,
    params: parse(endpoint.params, request.params) as Parsed<E['params']>,
    request,
    reply,
  };
}

export function endpointRoutes(app: FastifyInstance, pool: pg.Pool, now: () => Date) {
  return {
    /** An endpoint anyone may call: health, and enrollment (the code is the credential). */
    publicRoute: <E extends Endpoint & { access: 'public' }>(
      endpoint: E,
      handler: (call: PublicCall<E>) => Answer<E>,
    ): void => {
      app.route({
        method: endpoint.method,
        url: endpoint.path,
        handler: (request, reply) =>
          logged(request, null, () => send(reply, handler(parseCall(endpoint, request, reply)))),
      });
    },
    /** An endpoint only an enrolled device may call; the device is checked before the input. */
    deviceRoute: <E extends Endpoint & { access: 'device' }>(
      endpoint: E,
      handler: (call: DeviceCall<E>) => Answer<E>,
    ): void => {
      app.route({
        method: endpoint.method,
        url: endpoint.path,
        handler: async (request, reply) => {
          const device = await logged(request, null, () => authenticateDevice(pool, request));
          return logged(request, device.id, () =>
            send(reply, handler({ ...parseCall(endpoint, request, reply), device })),
          );
        },
      });
    },
    /**
     * A read a person makes online, signed by them (SYNC-PROTOCOL.md "Authorship"): device first,
     * then the input, then the person and their permission; answered or not, the read is
     * recorded with what `subject` says it is about.
     */
    personRoute: <E extends Endpoint & { access: 'person'; permission: Permission }>(
      endpoint: E,
      subject: (call: DeviceCall<E>) => ReadSubject,
      handler: (call: PersonCall<E>) => Answer<E>,
    ): void => {
      app.route({
        method: endpoint.method,
        url: endpoint.path,
        handler: async (request, reply) => {
          const device = await authenticateDevice(pool, request);
          const call = { ...parseCall(endpoint, request, reply), device };
          const about = subject(call);
          const at = now();
          const { userId } = await authorizeSignedRead(pool, {
            request,
            device,
            permission: endpoint.permission,
            subject: about,
            now: at,
          });
          const read = { device, userId, subject: about, now: at };
          let answer: Awaited<Answer<E>>;
          try {
            answer = await handler({ ...call, userId });
          } catch (error) {
            if (error instanceof ApiError && error.statusCode === 404)
              await recordSignedRead(pool, { ...read, outcome: 'not_found' });
            throw error;
          }
          // Recorded before a byte of it leaves: a read that cannot be recorded is not answered.
          await recordSignedRead(pool, { ...read, outcome: 'answered' });
          return send(reply, Promise.resolve(answer));
        },
      });
    },
  };
}

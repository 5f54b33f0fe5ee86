/**
 * The workstation's side of SYNC-PROTOCOL.md over HTTP: one function per endpoint, every answer
 * validated with the shared protocol schemas. Failures are values the engine can reason about:
 * `unreachable` (no answer: network down, timeout, proxy cut) is the only one that means
 * "offline"; everything else is the server speaking.
 */
import type { z } from 'zod';
import {
  AuditPushResponseSchema,
  EnrollResponseSchema,
  ErrorBodySchema,
  GlobalEmrSchema,
  HealthSchema,
  LoginResponseSchema,
  PullResponseSchema,
  PushResponseSchema,
  ReserveIdsResponseSchema,
  type AuditEvent,
  type PushRequest,
} from '../../shared/protocol';

export type TransportFailureKind =
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'invalid_request'
  | 'not_found'
  | 'rate_limited'
  | 'server_error'
  | 'bad_answer';

export class TransportError extends Error {
  constructor(
    readonly kind: TransportFailureKind,
    message: string,
    /** The error code of the server's answer, e.g. `account_locked`. */
    readonly code: string | null = null,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface TransportOptions {
  baseUrl: string;
  /** The device token, read at each call so a fresh enrollment applies at once. */
  deviceToken?: () => string | null;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const KIND_BY_STATUS: Record<number, TransportFailureKind> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'invalid_request',
  429: 'rate_limited',
};

export type SyncTransport = ReturnType<typeof createSyncTransport>;

export function createSyncTransport(options: TransportOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const doFetch = options.fetch ?? fetch;

  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.infer<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = options.deviceToken?.();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TransportError('unreachable', `The server did not answer (${reason}).`);
    }
    const json = parseJson(text);
    if (!response.ok) throw failure(response, json);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new TransportError('bad_answer', `The server's answer to ${path} was not understood.`);
    }
    return parsed.data;
  }

  return {
    health: () => call('GET', '/v1/health', HealthSchema),
    enroll: (code: string, deviceName: string) =>
      call('POST', '/v1/devices/enroll', EnrollResponseSchema, { code, deviceName }),
    login: (email: string, password: string) =>
      call('POST', '/v1/auth/login', LoginResponseSchema, { email, password }),
    push: (request: PushRequest) => call('POST', '/v1/sync/push', PushResponseSchema, request),
    pull: (cursor: string | null, limit: number) => {
      const query = new URLSearchParams({ limit: String(limit) });
      if (cursor !== null) query.set('cursor', cursor);
      return call('GET', `/v1/sync/pull?${query.toString()}`, PullResponseSchema);
    },
    reserveMrns: (count: number) =>
      call('POST', '/v1/ids/reserve', ReserveIdsResponseSchema, { kind: 'mrn', count }),
    pushAudit: (events: AuditEvent[]) =>
      call('POST', '/v1/audit/push', AuditPushResponseSchema, { events }),
    globalEmr: (patientId: string) =>
      call('GET', `/v1/emr/global/${encodeURIComponent(patientId)}`, GlobalEmrSchema),
  };
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function failure(response: Response, json: unknown): TransportError {
  const body = ErrorBodySchema.safeParse(json);
  const code = body.success ? body.data.error.code : null;
  const message = body.success
    ? body.data.error.message
    : `The server answered ${response.status}.`;
  const kind =
    KIND_BY_STATUS[response.status] ?? (response.status >= 500 ? 'server_error' : 'bad_answer');
  const retryAfter = Number(response.headers.get('retry-after'));
  const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null;
  // A gateway in front of a stopped server answers 502/503/504: that is an outage, not an answer.
  if ([502, 503, 504].includes(response.status) && !body.success) {
    return new TransportError('unreachable', message, code, response.status);
  }
  return new TransportError(kind, message, code, response.status, retryAfterMs);
}

/**
 * The workstation's side of SYNC-PROTOCOL.md over HTTP(S): one function per endpoint of
 * shared/endpoints.ts, every answer validated with its schema. Failures are values the engine can
 * reason about: `unreachable` (no answer: network down, timeout, proxy cut) is the only one that
 * means "offline"; `insecure_address` and `untrusted_certificate` mean nothing was sent and IT
 * must act; everything else is the server speaking.
 */
import type { z } from 'zod';
import { requestSigningText, SIGNED_READ_HEADERS } from '../../shared/authorship';
import { ENDPOINTS, endpointPath, type Endpoint } from '../../shared/endpoints';
import {
  ErrorBodySchema,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type AccessReportQuery,
  type AuditEvent,
  type ErrorBody,
  type PushRequest,
  type RescueRequest,
} from '../../shared/protocol';
import {
  ATTACHMENT_PATHS,
  attachmentPath,
  UploadStateSchema,
  type UploadPieceQuery,
  type UploadState,
} from '../../shared/attachment-endpoints';
import { checkServerAddress } from '../../shared/server-address';
import type { Signer } from '../auth/signer';

export type TransportFailureKind =
  | 'unreachable'
  | 'insecure_address'
  | 'untrusted_certificate'
  | 'unauthorized'
  | 'forbidden'
  | 'invalid_request'
  | 'not_found'
  | 'gone'
  | 'rate_limited'
  | 'server_error'
  | 'bad_answer';

export class TransportError extends Error {
  constructor(
    readonly kind: TransportFailureKind,
    message: string,
    /** The error code of the server's answer, e.g. `account_locked`. */
    readonly code: ErrorBody['error']['code'] | null = null,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** True when the server itself answered: the failure is its word, not the network's. */
export function serverAnswered(error: TransportError): boolean {
  return !['unreachable', 'insecure_address', 'untrusted_certificate'].includes(error.kind);
}

export const UNTRUSTED_CERTIFICATE_MESSAGE = "The server's certificate is not trusted.";

/**
 * An upload's bytes read as they are sent (an attachment from the replica, a stored row at a
 * time), with their total length.
 */
export interface UploadParts {
  byteLength: number;
  parts: Iterable<Uint8Array>;
}

function isUploadParts(data: string | Uint8Array | UploadParts): data is UploadParts {
  return typeof data === 'object' && 'parts' in data;
}

/** One part read ahead of the one being sent (a ReadableStream's default high-water mark). */
function streamOf(parts: Iterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = parts[Symbol.iterator]();
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel() {
      iterator.return?.();
    },
  });
}

export interface TransportOptions {
  baseUrl: string;
  /** The device token, read at each call so a fresh enrollment applies at once. */
  deviceToken?: () => string | null;
  timeoutMs?: number;
  /**
   * How requests reach the server: Electron's net.fetch in the app (the OS proxy and trust
   * store), Node's fetch trusting the hospital CA elsewhere (main/sync/server-fetch.ts).
   */
  fetch?: typeof fetch;
  /** The time a signed read states (Wardline-Time); the server allows ±5 minutes. */
  now?: () => Date;
}

const KIND_BY_STATUS: Record<number, TransportFailureKind> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  410: 'gone',
  413: 'invalid_request',
  429: 'rate_limited',
};

interface CallInput {
  body?: unknown;
  query?: Record<string, string>;
  params?: Record<string, string>;
  /** A `person` endpoint's reader, who signs the request (SYNC-PROTOCOL.md "Authorship"). */
  signer?: Signer;
}

export type SyncTransport = ReturnType<typeof createSyncTransport>;

export function createSyncTransport(options: TransportOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const address = checkServerAddress(options.baseUrl);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());

  /** Sends the request; a failure answer is thrown, an ok one handed back unread. */
  async function request(endpoint: Endpoint, input: CallInput, accept: string): Promise<Response> {
    if (endpoint.access === 'person' && !input.signer)
      throw new Error(`${endpoint.path} is read by a person: pass their signer.`);
    const query = input.query ? `?${new URLSearchParams(input.query).toString()}` : '';
    return send(endpoint.method, `${endpointPath(endpoint, input.params)}${query}`, {
      accept,
      ...(endpoint.access === 'person' && input.signer ? { signer: input.signer } : {}),
      ...(input.body === undefined
        ? {}
        : { body: { type: 'application/json', data: JSON.stringify(input.body) } }),
    });
  }

  /**
   * Every request to the server, JSON or bytes: the address check, protocol header, device
   * token, a person's signature when one reads, and failures in the transport's terms.
   */
  async function send(
    method: string,
    path: string,
    input: {
      accept: string;
      signer?: Signer;
      body?: { type: string; data: string | Uint8Array<ArrayBuffer> | UploadParts };
    },
  ): Promise<Response> {
    if (!address.ok) throw new TransportError('insecure_address', address.message);
    const headers: Record<string, string> = {
      accept: input.accept,
      [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
    };
    const token = options.deviceToken?.();
    if (token) headers.authorization = `Bearer ${token}`;
    if (input.signer) {
      const time = now().toISOString();
      headers[SIGNED_READ_HEADERS.user] = input.signer.userId;
      headers[SIGNED_READ_HEADERS.time] = time;
      headers[SIGNED_READ_HEADERS.signature] = input.signer.sign(
        requestSigningText(method, path, time),
      );
    }
    if (input.body) headers['content-type'] = input.body.type;
    const data = input.body?.data;
    const streamed = data !== undefined && isUploadParts(data) ? data : null;
    // A streamed body is sent with its length, which the server checks before reading a byte.
    if (streamed) headers['content-length'] = String(streamed.byteLength);
    let response: Response;
    try {
      const attempt = () =>
        doFetch(`${base}${path}`, {
          method,
          headers,
          ...(streamed
            ? { body: streamOf(streamed.parts), duplex: 'half' }
            : { body: data as string | Uint8Array<ArrayBuffer> | undefined }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      // A read after a long stretch of work on this thread (a snapshot's indexes built again)
      // may go out on a kept-alive connection the server closed meanwhile; once more on a new
      // one. Only reads: a push that may have reached the server is not sent twice here.
      response = await attempt().catch((error: unknown) => {
        if (method === 'GET' && closedConnection(error)) return attempt();
        throw error;
      });
      if (!response.ok) {
        const text = await response.text();
        throw failure(response, parseJson(text));
      }
    } catch (error) {
      if (error instanceof TransportError) throw error;
      throw noAnswer(error);
    }
    return response;
  }

  async function call<Answer extends z.ZodType>(
    endpoint: Endpoint & { answer: Answer },
    input: CallInput = {},
  ): Promise<z.infer<Answer>> {
    const response = await request(endpoint, input, 'application/json');
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw noAnswer(error);
    }
    const parsed = endpoint.answer.safeParse(parseJson(text));
    if (!parsed.success) {
      throw new TransportError(
        'bad_answer',
        `The server's answer to ${endpoint.path} was not understood.`,
      );
    }
    return parsed.data;
  }

  /** A gzip answer's bytes as sent (a snapshot page): the caller inflates and checks them. */
  async function callGzip(endpoint: Endpoint, input: CallInput = {}): Promise<Buffer> {
    const response = await request(endpoint, input, 'application/gzip');
    try {
      return Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw noAnswer(error);
    }
  }

  /** An attachment request (docs/SYNC.md "Attachments"): bytes rather than JSON. */
  function bytesCall(
    method: 'GET' | 'PUT',
    path: string,
    input: { body?: Uint8Array<ArrayBuffer> | UploadParts; signer?: Signer; accept: string },
  ): Promise<Response> {
    return send(method, path, {
      accept: input.accept,
      ...(input.signer ? { signer: input.signer } : {}),
      ...(input.body ? { body: { type: 'application/octet-stream', data: input.body } } : {}),
    });
  }

  async function uploadState(response: Response): Promise<UploadState> {
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw noAnswer(error);
    }
    const parsed = UploadStateSchema.safeParse(parseJson(text));
    if (!parsed.success)
      throw new TransportError(
        'bad_answer',
        "The server's answer to an upload was not understood.",
      );
    return parsed.data;
  }

  return {
    /** How much of the file the server holds; null when none of it. */
    attachmentUploadState: async (sha256: string): Promise<UploadState | null> => {
      try {
        const path = attachmentPath(ATTACHMENT_PATHS.upload, sha256);
        return await uploadState(await bytesCall('GET', path, { accept: 'application/json' }));
      } catch (error) {
        if (error instanceof TransportError && error.kind === 'not_found') return null;
        throw error;
      }
    },
    uploadAttachmentPiece: async (
      sha256: string,
      query: UploadPieceQuery,
      piece: Uint8Array<ArrayBuffer> | UploadParts,
    ): Promise<UploadState> => {
      const search = new URLSearchParams({
        offset: String(query.offset),
        size: String(query.size),
        type: query.type,
      });
      const path = `${attachmentPath(ATTACHMENT_PATHS.upload, sha256)}?${search.toString()}`;
      return uploadState(await bytesCall('PUT', path, { body: piece, accept: 'application/json' }));
    },
    /** The whole file, read in the person's name. */
    downloadAttachment: async (sha256: string, reader: Signer): Promise<Buffer> => {
      const path = attachmentPath(ATTACHMENT_PATHS.file, sha256);
      const response = await bytesCall('GET', path, { signer: reader, accept: '*/*' });
      try {
        return Buffer.from(await response.arrayBuffer());
      } catch (error) {
        throw noAnswer(error);
      }
    },
    health: () => call(ENDPOINTS.health),
    enroll: (code: string, deviceName: string) =>
      call(ENDPOINTS.enroll, { body: { code, deviceName } }),
    login: (email: string, password: string, signingKey?: string) =>
      call(ENDPOINTS.login, {
        body: { email, password, ...(signingKey === undefined ? {} : { signingKey }) },
      }),
    push: (request: PushRequest) => call(ENDPOINTS.push, { body: request }),
    pull: (cursor: string | null, limit: number) =>
      call(ENDPOINTS.pull, {
        query: { limit: String(limit), ...(cursor === null ? {} : { cursor }) },
      }),
    snapshotPage: (query: {
      token: string | null;
      limit: number;
      dischargedAfter: string | null;
    }) =>
      callGzip(ENDPOINTS.snapshot, {
        query: {
          limit: String(query.limit),
          ...(query.token === null ? {} : { token: query.token }),
          ...(query.dischargedAfter === null ? {} : { dischargedAfter: query.dischargedAfter }),
        },
      }),
    stay: (visitId: string) => call(ENDPOINTS.stay, { params: { visitId } }),
    reserveMrns: (count: number) => call(ENDPOINTS.reserveIds, { body: { kind: 'mrn', count } }),
    pushAudit: (events: AuditEvent[]) => call(ENDPOINTS.pushAudit, { body: { events } }),
    globalEmr: (patientId: string, reader: Signer) =>
      call(ENDPOINTS.globalEmr, { params: { patientId }, signer: reader }),
    devices: (reader: Signer) => call(ENDPOINTS.devices, { signer: reader }),
    accessReport: (query: AccessReportQuery, reader: Signer) =>
      call(ENDPOINTS.accessReport, {
        query: {
          ...(query.patientId === undefined ? {} : { patientId: query.patientId }),
          ...(query.userId === undefined ? {} : { userId: query.userId }),
          ...(query.from === undefined ? {} : { from: query.from }),
          ...(query.to === undefined ? {} : { to: query.to }),
        },
        signer: reader,
      }),
    changePassword: (email: string, currentPassword: string, newPassword: string) =>
      call(ENDPOINTS.changePassword, { body: { email, currentPassword, newPassword } }),
    resetPassword: (userId: string, admin: Signer) =>
      call(ENDPOINTS.resetPassword, { params: { userId }, signer: admin }),
    revokeDevice: (deviceId: string, admin: Signer) =>
      call(ENDPOINTS.revokeDevice, { params: { deviceId }, signer: admin }),
    breakGlassReview: (reader: Signer) => call(ENDPOINTS.breakGlassReview, { signer: reader }),
    rescueDevice: (deviceId: string, request: RescueRequest, admin: Signer) =>
      call(ENDPOINTS.rescueDevice, { params: { deviceId }, body: request, signer: admin }),
  };
}

/**
 * Node names a refused certificate by its OpenSSL code on the error's cause; Electron's
 * net.fetch by Chromium's `net::ERR_CERT_*`. Either way the TLS handshake failed, so no byte of
 * the request (token, password, chart) was sent.
 */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function isUntrustedCertificate(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth += 1) {
    const code = (cause as Error & { code?: unknown }).code;
    if (typeof code === 'string' && CERTIFICATE_CODES.has(code)) return true;
    if (/net::ERR_CERT_|ERR_SSL_PINNED_KEY/.test(cause.message)) return true;
    cause = cause.cause;
  }
  return false;
}

/** A request that failed because its kept-alive connection was closed under it. */
function closedConnection(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const cause: unknown = error.cause;
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

function noAnswer(error: unknown): TransportError {
  if (isUntrustedCertificate(error)) {
    return new TransportError('untrusted_certificate', UNTRUSTED_CERTIFICATE_MESSAGE);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new TransportError('unreachable', `The server did not answer (${reason}).`);
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

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ErrorCode } from '../../shared/protocol';
import { describeZodError } from '../../shared/validation';

export interface ApiErrorDetails {
  /** Response headers, such as `retry-after` of a 429. */
  headers?: Readonly<Record<string, string>>;
  /** Ids for the server's log line (a user id), never sent to the client nor a secret. */
  log?: Readonly<Record<string, string | null>>;
}

/** An answer of the contract's error shape: a code for programs, a sentence for people. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: ApiErrorDetails = {},
  ) {
    super(message);
  }
}

/** Parses a body or query with its zod schema; a failure is a 400 naming the field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw new ApiError(400, 'invalid_request', describeZodError(parsed.error));
  return parsed.data;
}

const BY_STATUS: Record<number, { code: ErrorCode; message: string }> = {
  400: { code: 'invalid_request', message: 'The request is malformed.' },
  401: { code: 'unauthorized', message: 'This device is not signed in to the server.' },
  403: { code: 'forbidden', message: 'This is not allowed.' },
  404: { code: 'not_found', message: 'There is nothing here.' },
  413: {
    code: 'payload_too_large',
    message: 'The request is too large; send fewer changes at a time.',
  },
  415: { code: 'invalid_request', message: 'Send JSON with Content-Type: application/json.' },
  429: { code: 'rate_limited', message: 'Too many attempts; wait a moment and try again.' },
};

/**
 * Every failure leaves as `{"error":{"code","message"}}`. Only our own ApiError messages and
 * Fastify's body-parsing messages (which name what is wrong, never SQL) reach the client;
 * anything unexpected is logged in full and answered with a plain `internal`.
 */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ApiError) {
    // Our own 5xx answers name something IT must put right (a missing attachments folder, say).
    if (error.statusCode >= 500) request.log.error({ code: error.code }, error.message);
    return reply
      .status(error.statusCode)
      .headers(error.details.headers ?? {})
      .send({ error: { code: error.code, message: error.message } });
  }
  const status = error instanceof Error ? ((error as FastifyError).statusCode ?? 500) : 500;
  const known = BY_STATUS[status];
  if (!(error instanceof Error) || status >= 500 || !known) {
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({
      error: { code: 'internal', message: 'The server could not complete this request.' },
    });
  }
  const fastifyCode = (error as FastifyError).code;
  const message =
    fastifyCode === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.name === 'SyntaxError'
      ? `body: the JSON is malformed (${error.message}).`
      : known.message;
  // The contract knows one answer for a body it cannot read: 400 invalid_request.
  return reply.status(status === 415 ? 400 : status).send({ error: { code: known.code, message } });
}

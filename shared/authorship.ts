/**
 * The bytes a person signs (../shared/docs/SYNC-PROTOCOL.md, "Authorship (protocol 2)"). Pure,
 * so the workstation that signs, the server that verifies and any other client build exactly the
 * same text; the Ed25519 signing itself lives where Node's crypto does (main/, server/).
 */
import { canonicalJson } from './audit-chain';
import type { AuditEvent, Mutation } from './protocol';

export { PUBLIC_KEY_PATTERN, SIGNATURE_PATTERN } from './protocol';

export const MUTATION_SIGNING_PREFIX = 'wardline-mutation-v1\n';
export const AUDIT_SIGNING_PREFIX = 'wardline-audit-v1\n';
export const REQUEST_SIGNING_PREFIX = 'wardline-request-v1\n';

/** The headers of a read made by a person online (`GET /v1/emr/global/:patientId`, …). */
export const SIGNED_READ_HEADERS = {
  user: 'Wardline-User',
  time: 'Wardline-Time',
  signature: 'Wardline-Signature',
} as const;

/** How far a signed read's time may be from the server's, either way. */
export const SIGNED_READ_WINDOW_MS = 5 * 60 * 1000;

/** The object without its `signature` member, whatever else it carries. */
function unsigned<T extends { signature?: unknown }>(value: T): Omit<T, 'signature'> {
  const { signature: _signature, ...rest } = value;
  return rest;
}

export function mutationSigningText(mutation: Mutation): string {
  return MUTATION_SIGNING_PREFIX + canonicalJson(unsigned(mutation));
}

/** Over the event with its `hash` (computed first, without hash and signature). */
export function auditSigningText(event: AuditEvent): string {
  return AUDIT_SIGNING_PREFIX + canonicalJson(unsigned(event));
}

/** `pathWithQuery` exactly as the request line carries it, e.g. `/v1/emr/global/<id>`. */
export function requestSigningText(method: string, pathWithQuery: string, time: string): string {
  return `${REQUEST_SIGNING_PREFIX}${method.toUpperCase()}\n${pathWithQuery}\n${time}`;
}

/**
 * Every endpoint of ../shared/docs/SYNC-PROTOCOL.md, declared once: its method, its path, who may
 * call it, the schemas of what it takes, and the schema the workstation reads its answer with.
 * The server registers its routes from these (server/http/routes.ts) and the workstation's
 * transport calls them (main/sync/transport.ts), so the two cannot drift apart.
 */
import type { z } from 'zod';
import { BreakGlassReviewSchema } from './break-glass';
import type { Permission } from './permissions';
import {
  AccessReportQuerySchema,
  AccessReportSchema,
  AuditPushRequestSchema,
  AuditPushResponseSchema,
  DeviceRevokeParamsSchema,
  DeviceRevokeResponseSchema,
  EnrollRequestSchema,
  EnrollResponseSchema,
  FleetSchema,
  GlobalEmrParamsSchema,
  GlobalEmrSchema,
  HealthSchema,
  LoginRequestSchema,
  LoginResponseSchema,
  PasswordChangeRequestSchema,
  PasswordChangeResponseSchema,
  PasswordResetParamsSchema,
  PasswordResetResponseSchema,
  PullQuerySchema,
  PullResponseSchema,
  PushRequestSchema,
  ReceivedPushResponseSchema,
  RescueParamsSchema,
  RescueRequestSchema,
  RescueResponseSchema,
  ReserveIdsRequestSchema,
  ReserveIdsResponseSchema,
  SnapshotHeaderSchema,
  SnapshotQuerySchema,
  StayParamsSchema,
  StayRowsSchema,
} from './protocol';

export interface Endpoint {
  method: 'GET' | 'POST';
  /** Fastify's form: `:name` marks a path parameter, filled in by {@link endpointPath}. */
  path: `/v1/${string}`;
  /**
   * `device`: only with the bearer token of an enrolled, unrevoked device. `person`: a read made
   * by a person online, also signed by them (SYNC-PROTOCOL.md "Authorship": `Wardline-User`,
   * `Wardline-Time`, `Wardline-Signature`), who must hold `permission`.
   */
  access: 'public' | 'device' | 'person';
  /** What a `person` endpoint's caller must be allowed to do. */
  permission?: Permission;
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  /** How the workstation validates a 2xx answer. */
  answer: z.ZodType;
}

export const ENDPOINTS = {
  health: { method: 'GET', path: '/v1/health', access: 'public', answer: HealthSchema },
  enroll: {
    method: 'POST',
    path: '/v1/devices/enroll',
    access: 'public',
    body: EnrollRequestSchema,
    answer: EnrollResponseSchema,
  },
  login: {
    method: 'POST',
    path: '/v1/auth/login',
    access: 'device',
    body: LoginRequestSchema,
    answer: LoginResponseSchema,
  },
  push: {
    method: 'POST',
    path: '/v1/sync/push',
    access: 'device',
    body: PushRequestSchema,
    answer: ReceivedPushResponseSchema,
  },
  pull: {
    method: 'GET',
    path: '/v1/sync/pull',
    access: 'device',
    query: PullQuerySchema,
    answer: PullResponseSchema,
  },
  reserveIds: {
    method: 'POST',
    path: '/v1/ids/reserve',
    access: 'device',
    body: ReserveIdsRequestSchema,
    answer: ReserveIdsResponseSchema,
  },
  pushAudit: {
    method: 'POST',
    path: '/v1/audit/push',
    access: 'device',
    body: AuditPushRequestSchema,
    answer: AuditPushResponseSchema,
  },
  globalEmr: {
    method: 'GET',
    path: '/v1/emr/global/:patientId',
    access: 'person',
    permission: 'emr_global:read',
    params: GlobalEmrParamsSchema,
    answer: GlobalEmrSchema,
  },
  devices: {
    method: 'GET',
    path: '/v1/devices',
    access: 'person',
    permission: 'devices:manage',
    answer: FleetSchema,
  },
  accessReport: {
    method: 'GET',
    path: '/v1/audit/access',
    access: 'person',
    permission: 'audit:read',
    query: AccessReportQuerySchema,
    answer: AccessReportSchema,
  },
  // Wardline extensions (docs/SYNC.md "Passwords"): not in SYNC-PROTOCOL.md, which they leave
  // unchanged.
  changePassword: {
    method: 'POST',
    path: '/v1/auth/password',
    access: 'device',
    body: PasswordChangeRequestSchema,
    answer: PasswordChangeResponseSchema,
  },
  resetPassword: {
    method: 'POST',
    path: '/v1/staff/:userId/password-reset',
    access: 'person',
    permission: 'users:manage',
    params: PasswordResetParamsSchema,
    answer: PasswordResetResponseSchema,
  },
  // Wardline extension (docs/SYNC.md "Fleet"): the Devices screen's revoke, which the CLI's
  // `devices revoke` also does on the server itself.
  revokeDevice: {
    method: 'POST',
    path: '/v1/devices/:deviceId/revoke',
    access: 'person',
    permission: 'devices:manage',
    params: DeviceRevokeParamsSchema,
    answer: DeviceRevokeResponseSchema,
  },
  // Wardline extensions (docs/SYNC.md "Snapshot first sync", "Scope"). A snapshot page is
  // gzip-compressed NDJSON, not JSON: `answer` is the schema of its first line.
  snapshot: {
    method: 'GET',
    path: '/v1/sync/snapshot',
    access: 'device',
    query: SnapshotQuerySchema,
    answer: SnapshotHeaderSchema,
  },
  stay: {
    method: 'GET',
    path: '/v1/sync/stays/:visitId',
    access: 'device',
    params: StayParamsSchema,
    answer: StayRowsSchema,
  },
  // The Break-glass review (issue 15; docs/SYNC.md "Break-glass"): a Wardline extension too.
  breakGlassReview: {
    method: 'GET',
    path: '/v1/audit/break-glass',
    access: 'person',
    permission: 'audit:read',
    answer: BreakGlassReviewSchema,
  },
  // Wardline extension (docs/SYNC.md "A rescue file"): a revoked or retired workstation's unsent
  // changes, relayed in an administrator's name from another workstation of the hospital.
  rescueDevice: {
    method: 'POST',
    path: '/v1/devices/:deviceId/rescue',
    access: 'person',
    permission: 'devices:manage',
    params: RescueParamsSchema,
    body: RescueRequestSchema,
    answer: RescueResponseSchema,
  },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof ENDPOINTS;

/** The path with its `:name` parameters filled in, each percent-encoded. */
export function endpointPath(endpoint: Endpoint, params: Record<string, string> = {}): string {
  return endpoint.path.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${endpoint.path} needs the parameter ${name}.`);
    return encodeURIComponent(value);
  });
}

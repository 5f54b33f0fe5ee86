/**
 * Reads made by a person online (SYNC-PROTOCOL.md "Authorship"): besides the device's token the
 * request carries `Wardline-User`, `Wardline-Time` and `Wardline-Signature`, the person's
 * signature over the method, the path as sent and the time. Missing, wrong or more than five
 * minutes off: 401. A person without the endpoint's permission: 403. Every read by a proven
 * person, answered or refused, is recorded in `signed_reads`; every refusal is logged at warn
 * with the device and user ids (never the token, nor what was asked for).
 */
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import {
  requestSigningText,
  SIGNED_READ_HEADERS,
  SIGNED_READ_WINDOW_MS,
} from '../../shared/authorship';
import type { Permission } from '../../shared/permissions';
import { IdSchema, TimestampSchema } from '../../shared/schemas/common';
import { loadStaffStanding } from '../auth/staff-permissions';
import type { AuthenticatedDevice } from '../devices/enrollment';
import { ApiError } from '../http/errors';
import { checkSignature, loadSigningKeys } from './signing-keys';

/** What a signed read is about, for its record: e.g. `emr_global.read` of patients/<id>. */
export interface ReadSubject {
  action: string;
  entity: string;
  entityId: string | null;
}

export type ReadOutcome = 'answered' | 'forbidden' | 'not_found';

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
};

function unsigned(request: FastifyRequest, device: AuthenticatedDevice, why: string): ApiError {
  request.log.warn(
    { deviceId: device.id, userId: header(request, SIGNED_READ_HEADERS.user) ?? null, why },
    'signed read refused',
  );
  return new ApiError(
    401,
    'unauthorized',
    'This read must be signed by the person making it, signed in online on this workstation, with the time of the request.',
  );
}

/** The proven person behind a signed read; throws the 401 otherwise. */
async function provenReader(
  pool: pg.Pool,
  request: FastifyRequest,
  device: AuthenticatedDevice,
  now: Date,
): Promise<string> {
  const userId = IdSchema.safeParse(header(request, SIGNED_READ_HEADERS.user));
  const time = TimestampSchema.safeParse(header(request, SIGNED_READ_HEADERS.time));
  const signature = header(request, SIGNED_READ_HEADERS.signature);
  if (!userId.success || !time.success || signature === undefined)
    throw unsigned(request, device, 'missing or malformed headers');
  if (Math.abs(Date.parse(time.data) - now.getTime()) > SIGNED_READ_WINDOW_MS) {
    request.log.warn(
      { deviceId: device.id, userId: userId.data, why: 'stale' },
      'signed read refused',
    );
    throw new ApiError(
      401,
      'unauthorized',
      "The request's time is more than 5 minutes from the server's. Check this workstation's clock.",
    );
  }
  const keys = await loadSigningKeys(pool, device.id, [userId.data]);
  const text = requestSigningText(request.method, request.url, time.data);
  const check = await checkSignature(keys.get(userId.data), text, signature);
  if (check !== 'verified') throw unsigned(request, device, check);
  return userId.data;
}

export async function recordSignedRead(
  pool: pg.Pool,
  read: {
    device: AuthenticatedDevice;
    userId: string;
    subject: ReadSubject;
    outcome: ReadOutcome;
    now: Date;
  },
): Promise<void> {
  await pool.query(
    `insert into signed_reads (id, at, device_id, hospital_id, user_id, action, entity, entity_id, outcome)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      uuidv7(),
      read.now.toISOString(),
      read.device.id,
      read.device.hospitalId,
      read.userId,
      read.subject.action,
      read.subject.entity,
      read.subject.entityId,
      read.outcome,
    ],
  );
}

/**
 * The person a signed read proves, allowed `permission`. A person of another hospital than the
 * device's, or no longer active, is refused like one without the permission.
 */
export async function authorizeSignedRead(
  pool: pg.Pool,
  call: {
    request: FastifyRequest;
    device: AuthenticatedDevice;
    permission: Permission;
    subject: ReadSubject;
    now: Date;
  },
): Promise<{ userId: string }> {
  const { request, device, now } = call;
  const userId = await provenReader(pool, request, device, now);
  const standing = await loadStaffStanding(pool, userId, now);
  const allowed =
    standing !== null &&
    standing.active &&
    (standing.hospitalId === null || standing.hospitalId === device.hospitalId) &&
    standing.permissions.has(call.permission);
  if (!allowed) {
    request.log.warn(
      { deviceId: device.id, userId, permission: call.permission },
      'signed read refused: no permission',
    );
    await recordSignedRead(pool, {
      device,
      userId,
      subject: call.subject,
      outcome: 'forbidden',
      now,
    });
    throw new ApiError(403, 'forbidden', `This needs the permission ${call.permission}.`);
  }
  return { userId };
}

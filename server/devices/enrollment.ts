import { v7 as uuidv7 } from 'uuid';
import type pg from 'pg';
import { ApiError } from '../http/errors';
import { hashSecret, newSecret } from './tokens';

export const ENROLLMENT_CODE_TTL_MS = 24 * 60 * 60 * 1000;

export interface EnrollmentCode {
  code: string;
  hospitalId: string;
  expiresAt: string;
}

/** A single-use code an administrator hands to IT to enroll one workstation of a hospital. */
export async function createEnrollmentCode(
  pool: pg.Pool,
  options: { hospitalCode: string; now?: Date; ttlMs?: number },
): Promise<EnrollmentCode> {
  const hospital = await pool.query<{ id: string }>(
    'select id from hospitals where code = $1 and deleted_at is null',
    [options.hospitalCode],
  );
  const hospitalId = hospital.rows[0]?.id;
  if (!hospitalId)
    throw new ApiError(
      404,
      'not_found',
      `There is no hospital with the code ${options.hospitalCode}.`,
    );
  const code = newSecret(15);
  const now = options.now ?? new Date();
  const expiresAt = new Date(
    now.getTime() + (options.ttlMs ?? ENROLLMENT_CODE_TTL_MS),
  ).toISOString();
  await pool.query(
    'insert into enrollment_codes (id, hospital_id, code_hash, created_at, expires_at) values ($1, $2, $3, $4, $5)',
    [uuidv7(), hospitalId, hashSecret(code), now.toISOString(), expiresAt],
  );
  return { code, hospitalId, expiresAt };
}

/** Spends a code (once, before it expires) and gives the new device its token. */
export async function enrollDevice(
  pool: pg.Pool,
  options: { code: string; deviceName: string; now: Date },
): Promise<{ deviceId: string; deviceToken: string; hospitalId: string }> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const deviceId = uuidv7();
    const spent = await client.query<{ id: string; hospital_id: string }>(
      `update enrollment_codes set used_at = $2
        where code_hash = $1 and used_at is null and expires_at > $2
        returning id, hospital_id`,
      [hashSecret(options.code), options.now.toISOString()],
    );
    const code = spent.rows[0];
    if (!code) {
      await client.query('rollback');
      throw new ApiError(
        401,
        'unauthorized',
        'This enrollment code is not valid: it may have expired or been used already.',
      );
    }
    const deviceToken = newSecret();
    await client.query(
      'insert into devices (id, hospital_id, name, token_hash, enrolled_at) values ($1, $2, $3, $4, $5)',
      [
        deviceId,
        code.hospital_id,
        options.deviceName,
        hashSecret(deviceToken),
        options.now.toISOString(),
      ],
    );
    await client.query('update enrollment_codes set used_by_device_id = $2 where id = $1', [
      code.id,
      deviceId,
    ]);
    await client.query('commit');
    return { deviceId, deviceToken, hospitalId: code.hospital_id };
  } catch (error) {
    if (!(error instanceof ApiError)) await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

export interface AuthenticatedDevice {
  id: string;
  hospitalId: string;
  /** The name IT gave it at enrollment ("Ward B workstation"), which alerts quote. */
  name: string;
}

/** The device a bearer token belongs to, unless it was revoked. */
export async function findDeviceByToken(
  pool: pg.Pool,
  token: string,
): Promise<AuthenticatedDevice | null> {
  const result = await pool.query<{
    id: string;
    hospital_id: string;
    name: string;
    stale: boolean;
  }>(
    `select id, hospital_id, name, coalesce(last_seen_at < now() - interval '1 minute', true) as stale
       from devices where token_hash = $1 and revoked_at is null`,
    [hashSecret(token)],
  );
  const device = result.rows[0];
  if (!device) return null;
  // Last-seen is for IT's overview; once a minute is enough and keeps pulls free of writes.
  if (device.stale)
    await pool.query('update devices set last_seen_at = now() where id = $1', [device.id]);
  return { id: device.id, hospitalId: device.hospital_id, name: device.name };
}

/**
 * An administrator revokes a workstation of their hospital from the Devices screen (a signed
 * request, recorded in signed_reads with who and which device). After it the device's token
 * answers 401 everywhere; what it had not sent stays on it. A device of another hospital is
 * answered as if it did not exist, and the workstation the request comes from cannot revoke
 * itself (it would lock its own administrator out mid-sentence): another one, or IT's
 * `devices revoke`, does that.
 */
import type pg from 'pg';
import type { AuthenticatedDevice } from './enrollment';
import { recordAdminAction } from '../admin/admin-actions';
import { inTransaction } from '../db/transaction';
import { ApiError } from '../http/errors';

export async function revokeHospitalDevice(
  pool: pg.Pool,
  request: { caller: AuthenticatedDevice; deviceId: string; adminId: string; now: Date },
): Promise<{ deviceId: string; revokedAt: string }> {
  if (request.deviceId === request.caller.id)
    throw new ApiError(
      403,
      'forbidden',
      'A workstation cannot revoke itself: revoke it from another workstation, or ask IT to run devices revoke on the server.',
    );
  // An earlier revoke stands as it was: its time and who did it are kept.
  const result = await pool.query<{ revoked_at: Date }>(
    `update devices set revoked_at = coalesce(revoked_at, $3), revoked_by = coalesce(revoked_by, $4)
      where id = $1 and hospital_id = $2
      returning revoked_at`,
    [request.deviceId, request.caller.hospitalId, request.now.toISOString(), request.adminId],
  );
  const row = result.rows[0];
  if (!row) throw new ApiError(404, 'not_found', 'This hospital has no workstation with that id.');
  return { deviceId: request.deviceId, revokedAt: new Date(row.revoked_at).toISOString() };
}

/**
 * IT's `devices revoke ID` at the server console: any hospital's device, recorded in
 * `admin_actions` with the revoke itself. An earlier revoke keeps its time and author; `null`
 * when there is no such device.
 */
export async function revokeDeviceFromConsole(
  pool: pg.Pool,
  request: { deviceId: string; now: Date },
): Promise<{ deviceId: string; revokedAt: string } | null> {
  return inTransaction(pool, async (client) => {
    const result = await client.query<{ hospital_id: string; revoked_at: Date }>(
      `update devices set revoked_at = coalesce(revoked_at, $2) where id = $1
        returning hospital_id, revoked_at`,
      [request.deviceId, request.now.toISOString()],
    );
    const row = result.rows[0];
    if (!row) return null;
    const revokedAt = new Date(row.revoked_at).toISOString();
    await recordAdminAction(
      client,
      {
        hospitalId: row.hospital_id,
        action: 'devices.revoke',
        entity: 'devices',
        entityId: request.deviceId,
      },
      { revokedAt },
    );
    return { deviceId: request.deviceId, revokedAt };
  });
}

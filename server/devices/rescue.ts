/**
 * A rescue (docs/SYNC.md "A rescue file"): a workstation whose enrollment was revoked, or which
 * IT is retiring, cannot send what its people entered. An administrator (`devices:manage`, a
 * signed request) relays those changes from another enrolled workstation of the same hospital.
 *
 * They are taken as the origin workstation's own push would have been: each signature is checked
 * with a key its person registered from the origin (the authors signed there, not here), the
 * origin's device numbering applies, and a mutation or event id already seen answers `duplicate`
 * (a second replay, or the origin enrolled again and sent them itself). The relaying workstation
 * lends its connection and its administrator's name, never its own identity or numbering.
 */
import type { FastifyBaseLogger } from 'fastify';
import type pg from 'pg';
import type { RescueRequest, RescueResponse } from '../../shared/protocol';
import { receiveAuditEvents } from '../audit/receive-events';
import { pushSignedMutations } from '../authorship/signed-push';
import { ApiError } from '../http/errors';
import type { TableShapes } from '../sync/table-shapes';
import type { AuthenticatedDevice } from './enrollment';

/** The origin workstation, revoked or not, if it is of the relaying workstation's hospital. */
async function originDevice(
  pool: pg.Pool,
  caller: AuthenticatedDevice,
  deviceId: string,
): Promise<AuthenticatedDevice> {
  const found = await pool.query<{ id: string; hospital_id: string; name: string }>(
    'select id, hospital_id, name from devices where id = $1 and hospital_id = $2',
    [deviceId, caller.hospitalId],
  );
  const row = found.rows[0];
  // Another hospital's workstation is answered as if it did not exist.
  if (!row)
    throw new ApiError(
      404,
      'not_found',
      'This hospital has no workstation with the id the rescue file names: it must be replayed on a workstation of the hospital it came from.',
    );
  return { id: row.id, hospitalId: row.hospital_id, name: row.name };
}

export async function relayRescuedChanges(
  pool: pg.Pool,
  relay: {
    caller: AuthenticatedDevice;
    adminId: string;
    deviceId: string;
    request: RescueRequest;
    shapes: TableShapes;
    now: () => Date;
    log: FastifyBaseLogger;
  },
): Promise<RescueResponse> {
  const origin = await originDevice(pool, relay.caller, relay.deviceId);
  const results = await pushSignedMutations(
    pool,
    { device: origin, shapes: relay.shapes, now: relay.now, log: relay.log },
    relay.request.mutations,
    relay.log,
  );
  const audit = await receiveAuditEvents(pool, origin, relay.request.events, {
    now: relay.now(),
    log: relay.log,
  });
  const count = (status: string) => results.filter((result) => result.status === status).length;
  // Ids and counts only: who relayed whose changes, and what became of them.
  relay.log.info(
    {
      originDeviceId: origin.id,
      relayDeviceId: relay.caller.id,
      adminId: relay.adminId,
      mutations: results.length,
      applied: count('applied'),
      duplicates: count('duplicate'),
      conflicts: count('conflict'),
      rejected: count('rejected'),
      events: relay.request.events.length,
      eventsAccepted: audit.accepted,
    },
    'rescue: a workstation relayed another workstation’s unsent changes',
  );
  return { results, audit };
}

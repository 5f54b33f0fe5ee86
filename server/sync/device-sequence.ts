/**
 * A device's sequence numbers (SYNC-PROTOCOL.md "Authorship"): `deviceSeq` only grows. A new
 * mutation whose number is not above the highest the device already had applied (or applied
 * with a conflict) comes from a copy of the workstation — a restored backup, a cloned disk —
 * and is refused as `sequence_reused`, so a second copy cannot replay work as new. A number past
 * the next one is applied, with the warning `sequence_gap`: changes may be missing.
 */
import type pg from 'pg';
import type { Mutation, MutationResult } from '../../shared/protocol';

export interface DeviceSequence {
  /** Highest deviceSeq the device had answered `applied` or `conflict`. */
  accepted: number;
  /** Highest deviceSeq the server recorded for the device, whatever the answer. */
  recorded: number;
}

/**
 * Serialises a device's pushes for the rest of the transaction, so that two copies of one
 * workstation pushing at the same moment cannot both take the same number.
 */
export async function lockDeviceSequence(client: pg.PoolClient, deviceId: string): Promise<void> {
  await client.query("select pg_advisory_xact_lock(hashtext('push:' || $1))", [deviceId]);
}

export async function loadDeviceSequence(
  client: pg.PoolClient,
  deviceId: string,
): Promise<DeviceSequence> {
  // Two backward scans of applied_mutations (device_id, device_seq), not an aggregate over
  // every mutation the device ever sent.
  const result = await client.query<{ accepted: string | null; recorded: string | null }>(
    `select (select device_seq from applied_mutations
              where device_id = $1 and status in ('applied', 'conflict')
              order by device_seq desc limit 1) as accepted,
            (select device_seq from applied_mutations
              where device_id = $1 order by device_seq desc limit 1) as recorded`,
    [deviceId],
  );
  const row = result.rows[0];
  return { accepted: Number(row?.accepted ?? 0), recorded: Number(row?.recorded ?? 0) };
}

export function refuseReusedSequence(
  sequence: DeviceSequence,
  mutation: Mutation,
): MutationResult | null {
  if (mutation.deviceSeq > sequence.accepted) return null;
  return {
    mutationId: mutation.mutationId,
    status: 'rejected',
    reason: {
      code: 'sequence_reused',
      message: `This workstation already sent change number ${mutation.deviceSeq} or later (up to ${sequence.accepted}). It may have been restored from a backup or copied from another workstation: ask IT to enroll it again before changes made on it are sent.`,
    },
  };
}

/** Counts the answer in the device's sequence, and flags a jump past the next number. */
export function noteSequence(
  sequence: DeviceSequence,
  mutation: Mutation,
  result: MutationResult,
): void {
  const accepted = result.status === 'applied' || result.status === 'conflict';
  if (accepted && mutation.deviceSeq > sequence.recorded + 1) {
    result.warnings = [
      ...(result.warnings ?? []),
      {
        code: 'sequence_gap',
        message: `Change numbers ${sequence.recorded + 1}–${mutation.deviceSeq - 1} of this workstation never reached the server; changes may be missing from it.`,
      },
    ];
  }
  sequence.recorded = Math.max(sequence.recorded, mutation.deviceSeq);
  if (accepted) sequence.accepted = Math.max(sequence.accepted, mutation.deviceSeq);
}

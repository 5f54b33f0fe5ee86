/**
 * Replaying a rescue file (docs/SYNC.md "A rescue file"), on an enrolled workstation of the same
 * hospital, by an administrator signed in online with `devices:manage`. The file is opened with
 * IT's private key and its changes and audit events are relayed, in the administrator's name, as
 * the origin workstation's own (`POST /v1/devices/:deviceId/rescue`): the server checks its
 * authors' signatures and numbering as if it had sent them, and answers `duplicate` for what it
 * already has, so a second replay, or a replay after the origin was enrolled again and sent them
 * itself, changes nothing.
 *
 * Every change the server refuses is listed with its reason: the file is not changed and stays
 * the record of what was rescued. The replay is audited in this workstation's chain (ids and
 * counts only). Cut short (the network, the server), it is simply run again.
 */
import type { AuditEvent, Mutation, ReceivedMutationResult } from '../../shared/protocol';
import { MAX_PUSH_BATCH, MAX_PUSH_BYTES } from '../../shared/protocol';
import { describeChange } from '../../shared/record-words';
import { refuse } from '../errors';
import { writeClinical, type WriteContext } from '../services/write-path';
import { firstWithinBytes } from './push-size';
import { openRescueFile } from './rescue-file';
import { readSyncState } from './sync-state';
import { TransportError, type SyncTransport } from './transport';

export interface RescuedRefusal {
  mutationId: string;
  deviceSeq: number;
  table: string;
  op: Mutation['op'];
  /** The change in words ("Vital signs recorded"), for the screen that lists it. */
  what: string;
  code: string;
  message: string;
}

export interface RescueReplay {
  /** The workstation the changes came from. */
  deviceId: string;
  mutations: number;
  applied: number;
  /** Already on the server (an earlier replay, or the origin sent them): nothing changed. */
  duplicates: number;
  /** Applied, but a field lost to a later change on the server (kept in its conflict record). */
  conflicts: number;
  /** Refused by the server, each with its reason; a duplicate of a refused change is one too. */
  refused: RescuedRefusal[];
  events: { sent: number; accepted: number; duplicates: number; unverified: number };
}

const OFFLINE =
  'Replaying a rescue file needs the central server: try again when this workstation is online.';

/** Batches as a push cuts them: by count, and by size. */
function batches<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  let rest = [...items];
  while (rest.length > 0) {
    const batch = firstWithinBytes(rest.slice(0, MAX_PUSH_BATCH), MAX_PUSH_BYTES, (item) => item);
    out.push(batch);
    rest = rest.slice(batch.length);
  }
  return out;
}

function refusalOf(mutation: Mutation, result: ReceivedMutationResult): RescuedRefusal | null {
  const refused =
    result.status === 'rejected' ||
    (result.status === 'duplicate' && result.firstStatus === 'rejected');
  if (!refused) return null;
  return {
    mutationId: mutation.mutationId,
    deviceSeq: mutation.deviceSeq,
    table: mutation.table,
    op: mutation.op,
    what: describeChange(mutation.table, mutation.op),
    code: result.reason?.code ?? 'unknown',
    message: result.reason?.message ?? 'The server refused this change without saying why.',
  };
}

function replayFailure(error: unknown): never {
  if (!(error instanceof TransportError)) throw error;
  if (error.kind === 'unreachable') return refuse('server_unreachable', OFFLINE);
  const again =
    'Run the replay again once this is resolved: what already reached the server answers as a duplicate.';
  if (error.kind === 'forbidden' || error.kind === 'unauthorized')
    return refuse('forbidden', `The server refused the replay: ${error.message}`, 'forbidden');
  if (error.kind === 'not_found') return refuse('not_found', error.message, 'not_found');
  return refuse('server_unreachable', `The server could not answer: ${error.message} ${again}`);
}

export async function replayRescueFile(
  context: WriteContext,
  transport: SyncTransport | null,
  file: { bytes: Buffer; privateKeyPem: string },
): Promise<RescueReplay> {
  const contents = openRescueFile(file.bytes, file.privateKeyPem);
  const here = readSyncState(context.db);
  if (here.hospitalId !== contents.hospitalId)
    refuse(
      'rescue_other_hospital',
      "This rescue file comes from another hospital's workstation: replay it on a workstation of that hospital.",
      'invalid',
    );
  if (!transport) return refuse('server_unreachable', OFFLINE);
  const signer = context.actor.signer;
  if (!signer)
    return refuse(
      'signing_key_missing',
      'A replay is made in your name, with the key this workstation makes when you sign in online. Sign out and sign in again while the server can be reached.',
      'forbidden',
    );
  const replay: RescueReplay = {
    deviceId: contents.deviceId,
    mutations: contents.mutations.length,
    applied: 0,
    duplicates: 0,
    conflicts: 0,
    refused: [],
    events: { sent: contents.events.length, accepted: 0, duplicates: 0, unverified: 0 },
  };
  const send = async (mutations: Mutation[], events: AuditEvent[]) => {
    try {
      return await transport.rescueDevice(contents.deviceId, { mutations, events }, signer);
    } catch (error) {
      return replayFailure(error);
    }
  };
  for (const batch of batches(contents.mutations)) {
    const answer = await send(batch, []);
    batch.forEach((mutation, index) => {
      const result = answer.results[index];
      if (!result) return;
      if (result.status === 'applied') replay.applied += 1;
      if (result.status === 'conflict') replay.conflicts += 1;
      if (result.status === 'duplicate') replay.duplicates += 1;
      const refused = refusalOf(mutation, result);
      if (refused) replay.refused.push(refused);
    });
  }
  for (const batch of batches(contents.events)) {
    const { audit } = await send([], batch);
    replay.events.accepted += audit.accepted;
    replay.events.duplicates += audit.duplicates;
    replay.events.unverified += audit.unverified;
  }
  writeClinical(context, (write) => {
    write.audit({
      action: 'rescue.replay',
      entity: 'devices',
      entityId: contents.deviceId,
      details: {
        mutations: replay.mutations,
        applied: replay.applied,
        duplicates: replay.duplicates,
        conflicts: replay.conflicts,
        refused: replay.refused.length,
        events: replay.events.sent,
      },
    });
  });
  return replay;
}

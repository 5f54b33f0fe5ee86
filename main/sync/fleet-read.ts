/**
 * The Devices screen's list (SYNC-PROTOCOL.md "Fleet"): the hospital's workstations as the server
 * last heard from them, read online in the name of the administrator looking (a signed read the
 * server audits), most at risk first. The last answer is kept in memory, so offline the screen
 * still shows it and says when it was read; it is never presented as current.
 */
import { ageText, byRisk, isSilent } from '../../shared/fleet-risk';
import type { FleetDevice } from '../../shared/protocol';
import { refuse } from '../errors';
import type { WriteContext } from '../services/write-path';
import { readSyncState } from './sync-state';
import { TransportError, type SyncTransport } from './transport';

export interface FleetRow extends FleetDevice {
  /** Not heard from for longer than the threshold (shared/fleet-risk.ts). */
  silent: boolean;
  /** The workstation this list is read on. */
  thisWorkstation: boolean;
  lastSeenAge: string | null;
  oldestPendingAge: string | null;
}

export type FleetView =
  | { state: 'answered'; readAt: string; devices: FleetRow[] }
  | { state: 'remembered'; readAt: string; devices: FleetRow[]; message: string }
  | { state: 'offline'; message: string };

const OFFLINE =
  'The list of workstations is read from the central server, which cannot be reached right now.';

/** The last answer, per replica: a list of workstations, nothing about patients. */
const lastAnswer = new WeakMap<object, { readAt: string; devices: FleetDevice[] }>();

function rows(context: WriteContext, devices: readonly FleetDevice[]): FleetRow[] {
  const now = context.clock.now();
  const here = readSyncState(context.db).deviceId;
  return byRisk(devices).map((device) => ({
    ...device,
    silent: isSilent(device, now),
    thisWorkstation: device.id === here,
    lastSeenAge: device.lastSeenAt === null ? null : ageText(device.lastSeenAt, now),
    oldestPendingAge: device.oldestPendingAt === null ? null : ageText(device.oldestPendingAt, now),
  }));
}

function offline(context: WriteContext): FleetView {
  const remembered = lastAnswer.get(context.db);
  if (!remembered)
    return {
      state: 'offline',
      message: `${OFFLINE} It can be read once this workstation is online.`,
    };
  return {
    state: 'remembered',
    readAt: remembered.readAt,
    devices: rows(context, remembered.devices),
    message: `${OFFLINE} This is the list as it was read earlier.`,
  };
}

export async function readFleet(
  context: WriteContext,
  transport: SyncTransport | null,
): Promise<FleetView> {
  if (!transport) return offline(context);
  const signer = context.actor.signer;
  if (!signer)
    refuse(
      'signing_key_missing',
      'The list of workstations is read in your name, with the key this workstation makes when you sign in online. Sign out and sign in again while the server can be reached.',
      'forbidden',
    );
  try {
    const { devices } = await transport.devices(signer);
    const readAt = context.clock.now().toISOString();
    lastAnswer.set(context.db, { readAt, devices });
    return { state: 'answered', readAt, devices: rows(context, devices) };
  } catch (error) {
    if (!(error instanceof TransportError)) throw error;
    if (error.kind === 'unreachable') return offline(context);
    if (error.kind === 'forbidden' || error.kind === 'unauthorized')
      refuse('forbidden', `The server refused this read: ${error.message}`, 'forbidden');
    return refuse('server_unreachable', `The server could not answer: ${error.message}`);
  }
}

/** The sentence the sync status shows for a failed run: what happened, and who can act on it. */
import { isDiskFull } from '../disk-full';
import { TransportError } from './transport';

export const DEVICE_REVOKED_MESSAGE =
  'The server no longer accepts this workstation: IT withdrew its enrollment. New entries are paused (records can still be read) and entries not yet sent are kept. Ask IT to enroll this workstation again; they are then sent. If it will not be, IT can export them to a rescue file and replay it from another workstation.';

export function describeSyncFailure(error: unknown): string {
  if (isDiskFull(error))
    return 'The disk of this computer is full, so changes from the server cannot be stored. Tell IT.';
  if (error instanceof TransportError && error.kind === 'unauthorized')
    return DEVICE_REVOKED_MESSAGE;
  return error instanceof Error ? error.message : String(error);
}

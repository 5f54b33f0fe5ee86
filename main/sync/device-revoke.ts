/**
 * The Devices screen's revoke: online only, in the administrator's name (a signed request the
 * server checks for `devices:manage` and records). The server refuses another hospital's device
 * and this workstation itself; the act is also audited here, in this workstation's chain.
 */
import { refuse } from '../errors';
import { writeClinical, type WriteContext } from '../services/write-path';
import { TransportError, type SyncTransport } from './transport';

export async function revokeWorkstation(
  context: WriteContext,
  transport: SyncTransport | null,
  deviceId: string,
): Promise<{ deviceId: string; revokedAt: string }> {
  const offline =
    'Revoking a workstation needs the central server: try again when this workstation is online.';
  if (!transport) return refuse('server_unreachable', offline);
  const signer = context.actor.signer;
  if (!signer)
    refuse(
      'signing_key_missing',
      'A revoke is made in your name, with the key this workstation makes when you sign in online. Sign out and sign in again while the server can be reached.',
      'forbidden',
    );
  try {
    const answer = await transport.revokeDevice(deviceId, signer);
    writeClinical(context, (batch) => {
      batch.audit({ action: 'devices.revoke', entity: 'devices', entityId: deviceId });
    });
    return answer;
  } catch (error) {
    if (!(error instanceof TransportError)) throw error;
    if (error.kind === 'unreachable') return refuse('server_unreachable', offline);
    if (error.kind === 'forbidden' || error.kind === 'unauthorized')
      return refuse('forbidden', `The server refused the revoke: ${error.message}`, 'forbidden');
    if (error.kind === 'not_found') return refuse('not_found', error.message, 'not_found');
    return refuse('server_unreachable', `The server could not answer: ${error.message}`);
  }
}

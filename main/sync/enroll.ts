import type { LocalDb } from '../../db/local/open';
import type { DeviceTokenStore } from './device-token';
import { updateSyncState } from './sync-state';
import { createSyncTransport, TransportError } from './transport';

export interface EnrollmentResult {
  deviceId: string;
  hospitalId: string;
}

/**
 * Enrolls this workstation with a single-use code from the hospital's admin. The token goes to
 * the token store; the replica keeps only which device and hospital it is.
 */
export async function enrollWorkstation(
  db: LocalDb,
  tokens: DeviceTokenStore,
  options: { serverUrl: string; code: string; deviceName: string },
): Promise<EnrollmentResult> {
  const transport = createSyncTransport({ baseUrl: options.serverUrl });
  try {
    const answer = await transport.enroll(options.code, options.deviceName);
    tokens.write(answer.deviceToken);
    updateSyncState(db, {
      deviceId: answer.deviceId,
      hospitalId: answer.hospitalId,
      serverUrl: options.serverUrl,
      pullCursor: null,
    });
    return { deviceId: answer.deviceId, hospitalId: answer.hospitalId };
  } catch (error) {
    if (error instanceof TransportError && error.kind === 'unauthorized') {
      throw new TransportError(
        'unauthorized',
        'That enrollment code is not valid: it may have been used already or have expired. Ask for a new one.',
        error.code,
        error.status,
      );
    }
    throw error;
  }
}

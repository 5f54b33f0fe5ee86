/**
 * Enrollment: a single-use code from the hospital's admin makes this workstation a device of the
 * hospital. The device token goes to the token store only (never the replica, a log, an answer
 * or the audit trail); the replica keeps which device, hospital and server it is.
 */
import { eq } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { outbox } from '../../db/local/schema';
import { checkServerAddress } from '../../shared/server-address';
import { WardError } from '../errors';
import { appendAuditEvent } from '../services/audit';
import type { DeviceTokenStore } from './device-token';
import { readSyncState, updateSyncState } from './sync-state';
import { createSyncTransport, TransportError } from './transport';

export interface EnrollmentResult {
  deviceId: string;
  hospitalId: string;
}

/** What a workstation needs to enroll itself from the first-start screen. */
export interface EnrollmentSetup {
  tokens: DeviceTokenStore;
  /** The server IT preset (config file or WARDLINE_SERVER_URL); the screen cannot change it. */
  presetServerUrl: string | null;
  /** Offered as the workstation's name; the person enrolling may change it. */
  defaultDeviceName: string;
  /** Why the code IT preset was refused at start, shown on the first-start screen; else null. */
  presetCodeRefusal?: string | null;
  /** How requests reach the server (the engine's own: net.fetch in Electron, the hospital CA). */
  fetch?: typeof fetch;
}

export interface EnrollOptions {
  serverUrl: string;
  code: string;
  deviceName: string;
  now?: () => Date;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Enrolled means both halves are here: the replica knows its device and the token store its token. */
export function isWorkstationEnrolled(db: LocalDb, tokens: DeviceTokenStore): boolean {
  return readSyncState(db).deviceId !== null && tokens.read() !== null;
}

/**
 * Asks the server whether it is a Wardline server first, so a mistyped address is named as such
 * instead of looking like a wrong code; then spends the code. Every failure is a WardError whose
 * sentence IT can act on; neither the code nor the token ever appears in one.
 */
export async function enrollWorkstation(
  db: LocalDb,
  tokens: DeviceTokenStore,
  options: EnrollOptions,
): Promise<EnrollmentResult> {
  const now = options.now ?? (() => new Date());
  const address = checkServerAddress(options.serverUrl);
  if (!address.ok) {
    throw new WardError(
      address.refusal === 'insecure' ? 'insecure_server_address' : 'invalid_input',
      address.message,
      'invalid',
    );
  }
  const transport = createSyncTransport({
    baseUrl: options.serverUrl,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  try {
    await transport.health();
  } catch (error) {
    throw describeHealthFailure(error, options.serverUrl);
  }
  let answer: Awaited<ReturnType<typeof transport.enroll>>;
  try {
    answer = await transport.enroll(options.code, options.deviceName);
  } catch (error) {
    throw describeEnrollFailure(error, options.serverUrl);
  }
  tokens.write(answer.deviceToken);
  const at = now().toISOString();
  const previousDevice = readSyncState(db).deviceId;
  // One transaction on the one connection: the audit statements are prepared on db.$client.
  db.transaction(() => {
    // Any change already here (an earlier enrollment's, or salvaged from a damaged replica whose
    // enrollment could not be read) was signed for another enrollment.
    const waiting = awaitSignInAgain(db);
    // A replica enrolled afresh (its token was lost) pulls everything again from the start.
    updateSyncState(db, {
      deviceId: answer.deviceId,
      hospitalId: answer.hospitalId,
      serverUrl: options.serverUrl,
      pullCursor: null,
      lastSuccessAt: null,
      lastError: null,
      // Enrolled again after a revocation: its kept outbox is sent under the new device.
      deviceRevokedAt: null,
    });
    // No person is signed in before enrollment: the event names no user, the device is the actor.
    appendAuditEvent(db, {
      action: 'device.enroll',
      entity: 'devices',
      entityId: answer.deviceId,
      userId: null,
      role: null,
      at,
      details: {
        deviceName: options.deviceName,
        hospitalId: answer.hospitalId,
        serverUrl: options.serverUrl,
        ...(previousDevice === null ? {} : { previousDeviceId: previousDevice }),
        ...(waiting > 0 ? { waiting } : {}),
      },
    });
  });
  return { deviceId: answer.deviceId, hospitalId: answer.hospitalId };
}

/**
 * Enrolled again (after a revocation, say): the unsent changes are kept and sent, but the server
 * checks each signature against a key its person registered from this device, which the new
 * enrollment has none of yet. Sent now, they would be refused. Their signatures are set aside
 * instead, so they wait, listed, as changes waiting for their author's signature do; the
 * person's next online sign-in here registers their key and signs them again
 * (main/auth/signing-keys.ts keepSigningKey), and they go in the order they were made.
 */
function awaitSignInAgain(db: LocalDb): number {
  return db.update(outbox).set({ signature: null }).where(eq(outbox.status, 'pending')).run()
    .changes;
}

function describeHealthFailure(error: unknown, serverUrl: string): WardError {
  if (!(error instanceof TransportError)) throw error;
  if (error.kind === 'unreachable') return unreachable(serverUrl);
  if (error.kind === 'untrusted_certificate' || error.kind === 'insecure_address')
    return describeEnrollFailure(error, serverUrl);
  return new WardError(
    'not_a_wardline_server',
    `${serverUrl} answered, but it is not a Wardline server. Check the server address IT gave you.`,
    'invalid',
  );
}

function describeEnrollFailure(error: unknown, serverUrl: string): WardError {
  if (!(error instanceof TransportError)) throw error;
  switch (error.kind) {
    case 'unauthorized':
      return new WardError(
        'enrollment_code_invalid',
        'That enrollment code is not valid: it may have been used already or have expired. Ask IT for a new one.',
        'unauthorized',
      );
    case 'unreachable':
      return unreachable(serverUrl);
    case 'untrusted_certificate':
      return new WardError(
        'server_certificate_untrusted',
        `${error.message} Ask IT to check the certificate of ${serverUrl}, or the hospital CA (caFile) in the workstation configuration.`,
        'invalid',
      );
    case 'insecure_address':
      return new WardError('insecure_server_address', error.message, 'invalid');
    case 'rate_limited':
      return new WardError(
        'enrollment_rate_limited',
        'The server has had too many enrollment attempts. Wait a minute, then try again.',
        'locked',
      );
    case 'not_found':
    case 'gone':
    case 'bad_answer':
      return new WardError(
        'not_a_wardline_server',
        `${serverUrl} answered, but it is not a Wardline server. Check the server address IT gave you.`,
        'invalid',
      );
    case 'invalid_request':
      return new WardError(
        'enrollment_invalid',
        'The server refused the enrollment: check the code and the workstation name.',
        'invalid',
      );
    case 'forbidden':
    case 'server_error':
      return new WardError(
        'enrollment_failed',
        `The server at ${serverUrl} could not enroll this workstation just now. Try again in a few minutes, or ask IT.`,
        'conflict',
      );
  }
}

function unreachable(serverUrl: string): WardError {
  return new WardError(
    'server_unreachable',
    `The server at ${serverUrl} did not answer. Check the address and the network cable or Wi-Fi, or ask IT whether the server is running.`,
    'conflict',
  );
}

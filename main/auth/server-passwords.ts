/**
 * Password changes and resets as the central server answers them (Wardline extensions,
 * docs/SYNC.md "Passwords"). Both need the server: offline there is nobody to tell the other
 * workstations, so the answer is `unreachable` and nothing changes anywhere.
 */
import type { Signer } from './signer';

export type ServerPasswordChange =
  /** `credentialVersion`: the person's users row's new value, which the verifier records. */
  | { status: 'ok'; credentialVersion: number }
  | { status: 'wrong_password' }
  | { status: 'locked' }
  | { status: 'refused'; message: string }
  | { status: 'unreachable' };

export type ServerPasswordReset =
  | { status: 'ok'; temporaryPassword: string; credentialVersion: number }
  | { status: 'refused'; message: string }
  | { status: 'unreachable' };

export interface ServerPasswords {
  /** Proven by `currentPassword` (a temporary one from a reset counts). */
  change(
    email: string,
    currentPassword: string,
    newPassword: string,
  ): Promise<ServerPasswordChange>;
  /** An administrator's reset of `userId`, signed by the administrator. */
  reset(userId: string, admin: Signer): Promise<ServerPasswordReset>;
}

/** For a workstation with no server configured: no password can change here. */
export const unreachableServerPasswords: ServerPasswords = {
  change: () => Promise.resolve({ status: 'unreachable' }),
  reset: () => Promise.resolve({ status: 'unreachable' }),
};

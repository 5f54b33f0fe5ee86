/**
 * Online sign-in as the central server answers it (POST /v1/auth/login). The sync engine
 * implements this over HTTP; tests and the browser harness use a double.
 */
import type { Role } from '../../shared/roles';

export interface ServerUser {
  id: string;
  email: string;
  fullName: string;
  hospitalId: string | null;
  role: Role;
  permissions: readonly string[];
}

export type ServerLoginResult =
  | { status: 'ok'; user: ServerUser }
  | { status: 'wrong_credentials' }
  | { status: 'locked' }
  | { status: 'forbidden' }
  /** The password is a temporary one from an administrator's reset: a new one must be chosen. */
  | { status: 'change_required' }
  /** A temporary password older than TEMPORARY_PASSWORD_VALID_HOURS: another reset is needed. */
  | { status: 'temporary_expired' }
  | { status: 'unreachable' };

export interface ServerAuth {
  /**
   * `signingKey`: the person's public key on this workstation (signing-keys.ts), which the
   * server registers for (this device, this person) when the sign-in succeeds.
   */
  login(email: string, password: string, signingKey: string): Promise<ServerLoginResult>;
}

/** For a workstation that has no server configured: every sign-in goes the offline way. */
export const unreachableServerAuth: ServerAuth = {
  login: () => Promise.resolve({ status: 'unreachable' }),
};

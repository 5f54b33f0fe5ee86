import { PasswordChangeFormSchema, type PasswordChangeForm } from '../../shared/passwords';
import { refuse } from '../errors';
import { appendAuditEvent } from '../services/audit';
import type { ServerPasswordChange, ServerPasswords } from './server-passwords';
import type { ActiveSession } from './session';
import { rememberUser, signIn, type SignInDeps } from './sign-in';
import { keepSigningKey, newSigningKey, type Signer } from './signing-keys';

export interface PasswordDeps extends SignInDeps {
  serverPasswords: ServerPasswords;
}

const NEEDS_NETWORK =
  'Changing a password needs the server, so that every workstation learns it: try again when this workstation is online.';

/** The server's accepted change, or the refusal in a sentence for the form. */
function accepted(answer: ServerPasswordChange): number {
  switch (answer.status) {
    case 'ok':
      return answer.credentialVersion;
    case 'unreachable':
      return refuse('password_change_offline', NEEDS_NETWORK, 'conflict');
    case 'wrong_password':
      return refuse('wrong_password', 'The current password is not right.', 'unauthorized');
    case 'locked':
      return refuse(
        'account_locked',
        'This account is locked after too many attempts. Try again later or ask an administrator.',
        'locked',
      );
    case 'refused':
      return refuse('invalid_input', answer.message, 'invalid');
  }
}

/**
 * The signed-in person changes their own password (online only): the server checks the current
 * one and stores the new one; this workstation then renews the person's signing key under it and
 * refreshes the offline verifier, made for the credential version the server answered, so that
 * the pulled users row does not retire it.
 */
export async function changeOwnPassword(
  deps: PasswordDeps,
  form: PasswordChangeForm,
): Promise<void> {
  const { currentPassword, newPassword } = PasswordChangeFormSchema.parse(form);
  const session = deps.sessions.requireActive({ personActed: true });
  const version = accepted(
    await deps.serverPasswords.change(session.user.email, currentPassword, newPassword),
  );
  const signer = await renewSigningKeyAfterPasswordChange(deps, newPassword, version);
  appendAuditEvent(
    deps.db,
    {
      action: 'auth.password_change',
      entity: 'users',
      entityId: session.user.id,
      userId: session.user.id,
      role: session.user.role,
      at: deps.clock.now().toISOString(),
    },
    signer,
  );
}

/**
 * After an administrator's reset, the sign-in answered that a new password is needed: the
 * temporary one proves the person to the server once, and the new one then signs in as usual
 * (a key made and registered under it, the verifier for the new credential version).
 */
export async function replaceTemporaryPassword(
  deps: PasswordDeps,
  form: PasswordChangeForm & { email: string },
): Promise<ActiveSession> {
  const { currentPassword, newPassword } = PasswordChangeFormSchema.parse(form);
  const email = form.email.trim().toLowerCase();
  const version = accepted(await deps.serverPasswords.change(email, currentPassword, newPassword));
  return signIn(deps, { email, password: newPassword }, version);
}

/**
 * After the server accepted a new password for the signed-in person (the password change itself
 * is another screen's): their key is renewed under it. A new key pair, sealed under the new
 * password, is registered by signing in with that password; the old key is retired, sealed under
 * the old password it can no longer be opened with, and what it signed stays valid on the
 * server. The offline verifier follows the new password in the same step.
 */
export async function renewSigningKeyAfterPasswordChange(
  deps: SignInDeps,
  newPassword: string,
  /** The credential version the server answered the change with (see rememberUser). */
  credentialVersion?: number,
): Promise<Signer> {
  const session = deps.sessions.requireActive({ personActed: true });
  const key = newSigningKey(session.user.id);
  const online = await deps.serverAuth.login(session.user.email, newPassword, key.signer.publicKey);
  if (online.status !== 'ok')
    refuse(
      online.status === 'unreachable' ? 'server_unreachable' : 'wrong_password',
      online.status === 'unreachable'
        ? 'A new password takes effect on this workstation while the server can be reached: try again when it is online.'
        : 'The server did not accept the new password for this account.',
      online.status === 'unreachable' ? 'conflict' : 'unauthorized',
    );
  await rememberUser(deps, online.user, newPassword, credentialVersion);
  const signer = await keepSigningKey(deps.db, session.user.id, key, newPassword, deps.clock.now());
  deps.sessions.replaceSigner(signer);
  return signer;
}

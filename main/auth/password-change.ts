import { refuse } from '../errors';
import { rememberUser, type SignInDeps } from './sign-in';
import { keepSigningKey, newSigningKey, type Signer } from './signing-keys';

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
  await rememberUser(deps, online.user, newPassword);
  const signer = await keepSigningKey(deps.db, session.user.id, key, newPassword, deps.clock.now());
  deps.sessions.replaceSigner(signer);
  return signer;
}

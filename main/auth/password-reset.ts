/**
 * An administrator resets a person's password from the Admin screen (online only): the server
 * makes a temporary password, returned here once for the screen and never stored or logged on
 * this workstation. The person's verifier on this workstation is dropped at once; other
 * workstations drop theirs when they pull the raised credential version.
 */
import { refuse } from '../errors';
import { appendAuditEvent } from '../services/audit';
import type { Actor } from '../services/write-path';
import type { PasswordDeps } from './password-change';
import { forgetVerifier } from './sign-in';

export async function resetStaffPassword(
  deps: PasswordDeps & { actor: Actor },
  userId: string,
): Promise<{ temporaryPassword: string }> {
  const { actor } = deps;
  if (!actor.signer)
    refuse(
      'signing_key_missing',
      'A reset is signed with your key, made at your next online sign-in: sign out and in again while the server is reachable.',
      'conflict',
    );
  const answer = await deps.serverPasswords.reset(userId, actor.signer);
  if (answer.status === 'unreachable')
    refuse(
      'password_change_offline',
      'Resetting a password needs the server: try again when this workstation is online.',
      'conflict',
    );
  if (answer.status === 'refused') refuse('forbidden', answer.message, 'forbidden');
  forgetVerifier(deps.db, userId);
  appendAuditEvent(
    deps.db,
    {
      action: 'auth.password_reset',
      entity: 'users',
      entityId: userId,
      userId: actor.userId,
      role: actor.role ?? null,
      at: deps.clock.now().toISOString(),
    },
    actor.signer,
  );
  return { temporaryPassword: answer.temporaryPassword };
}

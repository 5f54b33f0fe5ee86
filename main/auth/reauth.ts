/**
 * Re-authentication within the session (shared/reauth.ts): the signed-in person types their
 * password again; it is checked against their offline verifier on this workstation (or, with
 * none, by the server), and a proof is answered that ONE call of the named action accepts within
 * REAUTH_PROOF_MINUTES. Proofs live in memory only, bound to the session: another person's
 * session, a new sign-in or a restart leaves none behind. Every check is an audit event; a
 * refused one is recorded as refused, and REAUTH_MAX_FAILURES wrong passwords lock the session.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { cachedCredentials } from '../../db/local/schema';
import {
  REAUTH_ACTIONS,
  REAUTH_MAX_FAILURES,
  REAUTH_PROOF_MINUTES,
  type ReauthAction,
} from '../../shared/reauth';
import { refuse } from '../errors';
import { appendAuditEvent } from '../services/audit';
import type { ActiveSession } from './session';
import type { SignInDeps } from './sign-in';
import { checkVerifier } from './verifier';

interface Proof {
  sessionId: string;
  action: ReauthAction;
  expiresAt: number;
}

export interface ReauthAnswer {
  proof: string;
  expiresAt: string;
}

export class ReauthKeeper {
  private readonly proofs = new Map<string, Proof>();
  private failures = { sessionId: '', count: 0 };

  /** Checks the password of the session's person for `action`; a proof, or a refusal. */
  async confirm(
    deps: SignInDeps,
    request: { action: ReauthAction; password: string },
  ): Promise<ReauthAnswer> {
    const session = deps.sessions.requireActive({ personActed: true });
    const verdict = await checkPassword(deps, session, request.password);
    if (verdict !== 'ok') {
      record(deps, session, request.action, 'refused', verdict);
      this.countFailure(deps, session);
      refuse(
        'wrong_password',
        verdict === 'unverifiable'
          ? 'Your password cannot be checked on this workstation while the server is unreachable. Try again when it is online.'
          : 'The password is not right.',
        'forbidden',
      );
    }
    this.failures = { sessionId: session.id, count: 0 };
    const now = deps.clock.now().getTime();
    this.sweep(now);
    const proof = randomBytes(24).toString('base64url');
    const expiresAt = now + REAUTH_PROOF_MINUTES * 60_000;
    this.proofs.set(proof, { sessionId: session.id, action: request.action, expiresAt });
    record(deps, session, request.action, 'done', null);
    return { proof, expiresAt: new Date(expiresAt).toISOString() };
  }

  /**
   * Takes the proof for one call of `action` by `session`: it is gone afterwards, whatever the
   * call does next. Refused (code `reauth_required`) when missing, spent, late or for another
   * action or session.
   */
  consume(
    session: ActiveSession,
    action: ReauthAction,
    proof: string | undefined,
    now: Date,
  ): void {
    const held = proof === undefined ? undefined : this.proofs.get(proof);
    if (proof !== undefined) this.proofs.delete(proof);
    if (
      !held ||
      held.sessionId !== session.id ||
      held.action !== action ||
      held.expiresAt <= now.getTime()
    )
      refuse(
        'reauth_required',
        `Enter your password again to ${REAUTH_ACTIONS[action].toLowerCase()}.`,
        'forbidden',
      );
  }

  private countFailure(deps: SignInDeps, session: ActiveSession): void {
    const count = this.failures.sessionId === session.id ? this.failures.count + 1 : 1;
    this.failures = { sessionId: session.id, count };
    // Someone else at an unlocked workstation guessing the person's password: lock it.
    if (count >= REAUTH_MAX_FAILURES) {
      this.failures = { sessionId: session.id, count: 0 };
      deps.sessions.lock();
    }
  }

  private sweep(now: number): void {
    for (const [key, proof] of this.proofs) if (proof.expiresAt <= now) this.proofs.delete(key);
  }
}

type Verdict = 'ok' | 'wrong_password' | 'unverifiable';

async function checkPassword(
  deps: SignInDeps,
  session: ActiveSession,
  password: string,
): Promise<Verdict> {
  const cached = deps.db
    .select({ verifier: cachedCredentials.verifier })
    .from(cachedCredentials)
    .where(eq(cachedCredentials.userId, session.user.id))
    .get();
  if (cached) return (await checkVerifier(cached.verifier, password)) ? 'ok' : 'wrong_password';
  // No verifier here (an administrator reset it since): the server decides, with the key the
  // session already signs with, so nothing new is registered.
  if (!session.signer) return 'unverifiable';
  const online = await deps.serverAuth.login(
    session.user.email,
    password,
    session.signer.publicKey,
  );
  if (online.status === 'ok') return 'ok';
  return online.status === 'unreachable' ? 'unverifiable' : 'wrong_password';
}

function record(
  deps: SignInDeps,
  session: ActiveSession,
  action: ReauthAction,
  outcome: 'done' | 'refused',
  reason: string | null,
): void {
  deps.db.transaction(() => {
    appendAuditEvent(
      deps.db,
      {
        action: 'auth.reauth',
        entity: 'sessions',
        entityId: session.id,
        outcome,
        userId: session.user.id,
        role: session.user.role,
        at: deps.clock.now().toISOString(),
        details: reason ? { for: action, reason } : { for: action },
      },
      session.signer,
    );
  });
}

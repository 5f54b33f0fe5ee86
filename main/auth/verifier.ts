/**
 * The offline verifier: an argon2id hash of the password, cached by an online sign-in. Neither
 * the password nor the verifier is ever logged or sent anywhere.
 */
import argon2 from 'argon2';
import { ARGON2ID_COST } from '../../shared/password-hash-cost';

// The server's cost (OWASP's floor): a stolen replica is no easier to guess from than the server.
const OPTIONS = { type: argon2.argon2id, ...ARGON2ID_COST } as const;

export function hashVerifier(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function checkVerifier(verifier: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(verifier, password);
  } catch {
    return false;
  }
}

/** A verifier made at another cost (an older build's), to be made again at the next sign-in. */
export function verifierNeedsRehash(verifier: string): boolean {
  if (!verifier.startsWith('$argon2id$')) return true;
  try {
    return argon2.needsRehash(verifier, OPTIONS);
  } catch {
    return true;
  }
}

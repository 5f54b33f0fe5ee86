/**
 * Staff password hashes on the server: argon2id at the cost of shared/password-hash-cost.ts.
 * Neither a password nor a hash is ever logged.
 */
import argon2 from 'argon2';
import { ARGON2ID_COST } from '../../shared/password-hash-cost';

const OPTIONS = { type: argon2.argon2id, ...ARGON2ID_COST } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

/** False for a wrong password, and for a stored value that is not a hash at all. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A hash made at another cost (an older build's default, say), to be made again at sign-in. */
export function needsRehash(hash: string): boolean {
  if (!hash.startsWith('$argon2id$')) return true;
  try {
    return argon2.needsRehash(hash, OPTIONS);
  } catch {
    return true;
  }
}

/**
 * A hash of no one's password at the same cost, verified when the email is unknown or the
 * account cannot sign in, so that those answers take as long as a wrong password.
 */
const decoy = hashPassword('wardline-decoy-password');

export async function verifyDecoy(password: string): Promise<void> {
  await verifyPassword(await decoy, password);
}

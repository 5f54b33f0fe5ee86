/**
 * The offline verifier: an argon2id hash of the password, cached by an online sign-in. Neither
 * the password nor the verifier is ever logged or sent anywhere.
 */
import argon2 from 'argon2';

// OWASP's argon2id floor (19 MiB, 2 passes) costs ~50 ms here: slow for a guesser, quick at a ward.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

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

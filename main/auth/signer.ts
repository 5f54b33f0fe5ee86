/** What the write path signs with: one person's unsealed key, for as long as their session. */
export interface Signer {
  readonly userId: string;
  /** Raw 32-byte Ed25519 public key, base64url without padding. */
  readonly publicKey: string;
  /** The Ed25519 signature of the UTF-8 text, base64url without padding. */
  sign(text: string): string;
}

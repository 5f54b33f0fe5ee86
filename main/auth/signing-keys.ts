/**
 * A person's signing key on this workstation (SYNC-PROTOCOL.md "Authorship"): an Ed25519 key pair
 * made at their first online sign-in here, whose public half the server registers for (this
 * device, this person). The private half never leaves the workstation and is stored only sealed
 * under their password, so a stolen device token, or the replica without the password, cannot
 * sign for anyone. Unsealed, it lives in the session's memory only (session.ts).
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto';
import argon2 from 'argon2';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { LocalDb } from '../../db/local/open';
import { signingKeys } from '../../db/local/schema';
import { signUnsignedAuditEvents } from '../services/audit';
import type { ReplicaReader } from '../services/replica-reader';
import { signWaitingChanges } from '../sync/waiting-signatures';
import type { Signer } from './signer';

export type { Signer };

/** A key pair made for a sign-in, not yet registered nor stored. */
export interface NewSigningKey {
  signer: Signer;
  privateKey: KeyObject;
}

type SigningKeyRow = typeof signingKeys.$inferSelect;

// OWASP's argon2id floor, as for the offline verifier (verifier.ts): ~50 ms at each sign-in.
const KDF = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

function signerOf(userId: string, privateKey: KeyObject, publicKey: string): Signer {
  return {
    userId,
    publicKey,
    sign: (text) => sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64url'),
  };
}

/** The 32-byte seed of an Ed25519 private key, and its raw public key (both JWK members). */
function rawKeys(privateKey: KeyObject): { d: string; x: string } {
  const jwk = privateKey.export({ format: 'jwk' });
  if (typeof jwk.d !== 'string' || typeof jwk.x !== 'string')
    throw new Error('signing key: not an Ed25519 private key');
  return { d: jwk.d, x: jwk.x };
}

export function newSigningKey(userId: string): NewSigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { signer: signerOf(userId, privateKey, rawKeys(privateKey).x), privateKey };
}

/** The same key pair, signing for `userId` (made before the server said who signed in). */
export function signingKeyOf(key: NewSigningKey, userId: string): NewSigningKey {
  return {
    signer: signerOf(userId, key.privateKey, key.signer.publicKey),
    privateKey: key.privateKey,
  };
}

/** The sealed key names its owner and public key: a sealed blob moved to another row fails. */
const associatedData = (userId: string, publicKey: string) =>
  Buffer.from(`wardline-signing-key-v1\n${userId}\n${publicKey}`, 'utf8');

function sealingKey(password: string, salt: Buffer, kdf: SigningKeyRow['kdf']): Promise<Buffer> {
  return argon2.hash(password, {
    type: argon2.argon2id,
    ...kdf,
    hashLength: 32,
    salt,
    raw: true,
  });
}

/**
 * Seals `key` under `password` and stores it as the person's current key, retiring the ones
 * before it (they stay sealed, unused): at the first online sign-in, and when the password the
 * server knows no longer opens the stored key (changed or reset).
 */
export async function storeSigningKey(
  db: LocalDb,
  key: NewSigningKey,
  password: string,
  now: Date,
): Promise<Signer> {
  const { d, x } = rawKeys(key.privateKey);
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', await sealingKey(password, salt, KDF), nonce);
  cipher.setAAD(associatedData(key.signer.userId, x));
  const sealed = Buffer.concat([
    cipher.update(Buffer.from(d, 'base64url')),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  const at = now.toISOString();
  db.transaction((tx) => {
    tx.update(signingKeys)
      .set({ retiredAt: at })
      .where(and(eq(signingKeys.userId, key.signer.userId), isNull(signingKeys.retiredAt)))
      .run();
    tx.insert(signingKeys)
      .values({
        id: uuidv7(),
        userId: key.signer.userId,
        publicKey: x,
        sealedPrivateKey: sealed.toString('base64url'),
        salt: salt.toString('base64url'),
        nonce: nonce.toString('base64url'),
        kdf: KDF,
        createdAt: at,
      })
      .run();
  });
  return key.signer;
}

/** The person's current (unretired) key on this workstation, sealed; undefined if none yet. */
export function currentSigningKey(db: ReplicaReader, userId: string): SigningKeyRow | undefined {
  return db
    .select()
    .from(signingKeys)
    .where(and(eq(signingKeys.userId, userId), isNull(signingKeys.retiredAt)))
    .orderBy(desc(signingKeys.createdAt))
    .get();
}

/** The key, opened with the password; null when the password does not open it. */
export async function unsealSigningKey(
  row: SigningKeyRow,
  password: string,
): Promise<NewSigningKey | null> {
  try {
    const sealed = Buffer.from(row.sealedPrivateKey, 'base64url');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      await sealingKey(password, Buffer.from(row.salt, 'base64url'), row.kdf),
      Buffer.from(row.nonce, 'base64url'),
    );
    decipher.setAAD(associatedData(row.userId, row.publicKey));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const d = Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('base64url');
    const privateKey = createPrivateKey({
      key: { kty: 'OKP', crv: 'Ed25519', d, x: row.publicKey },
      format: 'jwk',
    });
    return { signer: signerOf(row.userId, privateKey, row.publicKey), privateKey };
  } catch {
    // A wrong password fails GCM's tag check; nothing about the key is revealed either way.
    return null;
  }
}

/**
 * The key an online sign-in registers: the person's stored key when the password opens it, else
 * a new one (their first sign-in here, or their password changed or was reset since: the old key
 * stays sealed and unused, and what it signed stays valid on the server). Before the answer, the
 * user id is known only from an earlier sign-in; `keepSigningKey` settles it.
 */
export async function signingKeyToRegister(
  db: ReplicaReader,
  knownUserId: string | null,
  password: string,
): Promise<NewSigningKey> {
  const stored = knownUserId ? currentSigningKey(db, knownUserId) : undefined;
  const opened = stored ? await unsealSigningKey(stored, password) : null;
  return opened ?? newSigningKey(knownUserId ?? '');
}

/**
 * The server registered `key` for this person: it becomes their stored key unless it already
 * is, and whatever they changed here before they had one (an upgrade from protocol 1) is signed
 * now, in the order it was made, so it can be sent.
 */
export async function keepSigningKey(
  db: LocalDb,
  userId: string,
  key: NewSigningKey,
  password: string,
  now: Date,
): Promise<Signer> {
  const stored = currentSigningKey(db, userId);
  const owned = signingKeyOf(key, userId);
  const signer =
    stored?.publicKey === key.signer.publicKey
      ? owned.signer
      : await storeSigningKey(db, owned, password, now);
  signWaitingChanges(db, signer);
  signUnsignedAuditEvents(db, signer);
  return signer;
}

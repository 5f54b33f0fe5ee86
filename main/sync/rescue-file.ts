/**
 * The rescue file (docs/SYNC.md "A rescue file"): a workstation's unsent changes and audit
 * events, sealed so that only IT can open them. Sealed to a public key in the machine config,
 * not to a key the server hands out, because the workstation that needs rescuing is the one the
 * server no longer answers: it must be able to seal offline.
 *
 * Hybrid sealing with node:crypto: a fresh AES-256-GCM key encrypts the contents, and that key
 * is encrypted to IT's RSA public key with OAEP (SHA-256). The clear header (format, which key
 * it is sealed to, the wrapped key, the nonce) is the cipher's associated data, so a changed
 * byte anywhere, header or contents, fails the tag: the file opens whole or not at all.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  constants,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../../shared/audit-chain';
import { AuditEventSchema, MutationSchema } from '../../shared/protocol';
import { IdSchema, TimestampSchema } from '../../shared/schemas/common';
import { WardError } from '../errors';

export const RESCUE_FORMAT = 'wardline-rescue-v1';
const MIN_RSA_BITS = 2048;

export const RescueContentsSchema = z.object({
  /** The workstation that made the changes: the server checks them as that device's. */
  deviceId: IdSchema,
  hospitalId: IdSchema,
  exportedAt: TimestampSchema,
  /** Unsent outbox mutations, in device order, exactly as signed. */
  mutations: z.array(MutationSchema),
  /** Audit events the server has not acknowledged, in chain order. */
  events: z.array(AuditEventSchema),
});
export type RescueContents = z.infer<typeof RescueContentsSchema>;

const SealedFileSchema = z.object({
  format: z.literal(RESCUE_FORMAT),
  /** sha256 of the public key (DER SubjectPublicKeyInfo), hex: which key opens it. */
  sealedTo: z.string().regex(/^[0-9a-f]{64}$/),
  wrappedKey: z.string().min(1),
  iv: z.string().min(1),
  tag: z.string().min(1),
  sealed: z.string(),
});

/** Why a rescue file does not open, or a key does not fit: a sentence IT can act on. */
type RescueRefusal = 'rescue_file_unreadable' | 'rescue_key_wrong' | 'rescue_key_invalid';
const refusal = (code: RescueRefusal, message: string) => new WardError(code, message, 'invalid');

export function keyFingerprint(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

function rsaKey(pem: string, kind: 'public' | 'private'): KeyObject {
  let key: KeyObject;
  try {
    key = kind === 'public' ? createPublicKey(pem) : createPrivateKey(pem);
  } catch {
    throw refusal(
      'rescue_key_invalid',
      `The rescue ${kind} key is not a readable PEM key. IT makes the pair with: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out rescue-private.pem; openssl pkey -in rescue-private.pem -pubout -out rescue-public.pem`,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < MIN_RSA_BITS)
    throw refusal(
      'rescue_key_invalid',
      `The rescue ${kind} key must be an RSA key of at least ${MIN_RSA_BITS} bits.`,
    );
  return key;
}

const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' } as const;

const associatedData = (header: Omit<z.infer<typeof SealedFileSchema>, 'tag' | 'sealed'>) =>
  Buffer.from(canonicalJson(header), 'utf8');

/** Which key a file sealed to `publicKeyPem` opens with; refuses a key that is not fit. */
export function rescueKeyFingerprint(publicKeyPem: string): string {
  return keyFingerprint(rsaKey(publicKeyPem, 'public'));
}

/** The file's bytes: JSON whose only clear members are the header; the contents are sealed. */
export function sealRescueFile(contents: RescueContents, publicKeyPem: string): Buffer {
  const publicKey = rsaKey(publicKeyPem, 'public');
  const dataKey = randomBytes(32);
  const iv = randomBytes(12);
  const header = {
    format: RESCUE_FORMAT,
    sealedTo: keyFingerprint(publicKey),
    wrappedKey: publicEncrypt({ key: publicKey, ...OAEP }, dataKey).toString('base64'),
    iv: iv.toString('base64'),
  } as const;
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(associatedData(header));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(contents), 'utf8'), cipher.final()]);
  const file = {
    ...header,
    tag: cipher.getAuthTag().toString('base64'),
    sealed: sealed.toString('base64'),
  };
  return Buffer.from(`${JSON.stringify(file)}\n`, 'utf8');
}

const UNREADABLE =
  'This rescue file is damaged or was altered after it was made: it cannot be opened, and nothing of it was sent. Export it again from the workstation if it still exists.';

/** The contents, if `privateKeyPem` is the key the file was sealed to and not a byte changed. */
export function openRescueFile(bytes: Buffer, privateKeyPem: string): RescueContents {
  const privateKey = rsaKey(privateKeyPem, 'private');
  let file: z.infer<typeof SealedFileSchema>;
  try {
    file = SealedFileSchema.parse(JSON.parse(bytes.toString('utf8')));
  } catch {
    throw refusal('rescue_file_unreadable', UNREADABLE);
  }
  const fingerprint = keyFingerprint(privateKey);
  if (file.sealedTo !== fingerprint)
    throw refusal(
      'rescue_key_wrong',
      `This rescue file was sealed to another key (fingerprint ${file.sealedTo.slice(0, 16)}…); the key given is ${fingerprint.slice(0, 16)}…. Use the private key that belongs to the rescue public key in that workstation's configuration.`,
    );
  try {
    const dataKey = privateDecrypt(
      { key: privateKey, ...OAEP },
      Buffer.from(file.wrappedKey, 'base64'),
    );
    const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(file.iv, 'base64'));
    decipher.setAAD(
      associatedData({
        format: file.format,
        sealedTo: file.sealedTo,
        wrappedKey: file.wrappedKey,
        iv: file.iv,
      }),
    );
    decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
    const clear = Buffer.concat([
      decipher.update(Buffer.from(file.sealed, 'base64')),
      decipher.final(),
    ]);
    return RescueContentsSchema.parse(JSON.parse(clear.toString('utf8')));
  } catch {
    throw refusal('rescue_file_unreadable', UNREADABLE);
  }
}

import { createHash, randomBytes } from 'node:crypto';

/** A secret for a device or an enrollment code: random, URL-safe, shown once. */
export const newSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** Only this digest is stored: a stolen database does not give anyone a device's identity. */
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

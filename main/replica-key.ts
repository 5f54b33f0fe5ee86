/**
 * The replica's key: 32 random bytes made on the workstation's first start, never derived from a
 * password and never sent anywhere. Where it is kept is a `ReplicaKeyStore`: the desktop app
 * wraps it with the OS key store (main/app/replica-key.ts); the browser harness, tests and the
 * web demo keep it in a file only its owner can read, beside the replica.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { REPLICA_KEY_BYTES } from '../db/local/open';
import { WardError } from './errors';

export interface ReplicaKeyStore {
  /** Where the key is kept, named in a refusal so IT can find it. */
  readonly location: string;
  /** The stored key, or null when none was ever stored. A damaged key is a WardError. */
  read(): Buffer | null;
  /** Stores a new key, durably and owner-only, before anything is encrypted with it. */
  write(key: Buffer): void;
}

/** The key (or its wrapped form) lives beside the replica: `wardline.db` → `wardline.db.key`. */
export const replicaKeyFile = (replicaFile: string): string => `${replicaFile}.key`;

export function newReplicaKey(): Buffer {
  return randomBytes(REPLICA_KEY_BYTES);
}

/** The harness, tests and web demo: the key as hex in a 0600 file. */
export function fileReplicaKeyStore(file: string): ReplicaKeyStore {
  return {
    location: file,
    read() {
      if (!existsSync(file)) return null;
      const hex = readFileSync(file, 'utf8').trim();
      if (!/^[0-9a-f]{64}$/i.test(hex)) throw unreadableKey(file);
      return Buffer.from(hex, 'hex');
    },
    write(key) {
      writeSecretFile(file, Buffer.from(`${key.toString('hex')}\n`));
    },
  };
}

export function unreadableKey(location: string, why = 'is damaged'): WardError {
  return new WardError(
    'replica_key_unreadable',
    `Wardline cannot open this computer's patient data: its key (${location}) ${why}, so nothing was opened or changed. Restore that file from this computer's backup; if there is none, move the data folder aside and enroll the workstation again (entries not yet sent to the server would be lost).`,
    'forbidden',
  );
}

/**
 * Owner-only and all-or-nothing: written to a temporary name, flushed, then renamed, so a power
 * cut leaves either the whole key or none (a half key would lock the ward out of its replica).
 */
export function writeSecretFile(file: string, bytes: Buffer): void {
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // The mode given to open applies only when it creates the file.
  chmodSync(partial, 0o600);
  renameSync(partial, file);
}

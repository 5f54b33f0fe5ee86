/**
 * The replica's key wrapped by the OS key store (Electron safeStorage: DPAPI, Keychain,
 * libsecret/KWallet): only the wrapped bytes touch the disk, beside the replica, owner-only.
 * Whether this key store may be trusted at all is decided in main/keystore-trust.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { safeStorage } from 'electron';
import type { KeystoreFacts } from '../keystore-trust';
import { unreadableKey, writeSecretFile, type ReplicaKeyStore } from '../replica-key';

export function keystoreFacts(): KeystoreFacts {
  return {
    platform: process.platform,
    available: safeStorage.isEncryptionAvailable(),
    linuxBackend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null,
  };
}

export function safeStorageReplicaKeyStore(file: string): ReplicaKeyStore {
  return {
    location: file,
    read() {
      if (!existsSync(file)) return null;
      let hex: string;
      try {
        hex = safeStorage.decryptString(readFileSync(file));
      } catch {
        throw unreadableKey(file, "cannot be unwrapped by this user's key store");
      }
      if (!/^[0-9a-f]{64}$/i.test(hex)) throw unreadableKey(file);
      return Buffer.from(hex, 'hex');
    },
    write(key) {
      writeSecretFile(file, safeStorage.encryptString(key.toString('hex')));
    },
  };
}

/**
 * The device token in the OS keystore (Electron safeStorage: DPAPI, Keychain, libsecret): only
 * the encrypted bytes touch the disk, in the user's data folder, readable by the owner alone.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { safeStorage } from 'electron';
import type { DeviceTokenStore } from '../sync/device-token';

export function keystoreTokenStore(file: string): DeviceTokenStore {
  let cached: string | null | undefined;
  return {
    read() {
      if (cached === undefined) {
        cached = existsSync(file) ? safeStorage.decryptString(readFileSync(file)) : null;
      }
      return cached;
    },
    write(token) {
      if (!safeStorage.isEncryptionAvailable()) {
        throw new Error(
          'This computer has no usable keystore, so Wardline cannot store its enrollment safely. Ask IT to set one up.',
        );
      }
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, safeStorage.encryptString(token), { mode: 0o600 });
      // writeFileSync keeps the mode of an existing file; make sure it is owner-only.
      chmodSync(file, 0o600);
      cached = token;
    },
    clear() {
      rmSync(file, { force: true });
      cached = null;
    },
  };
}

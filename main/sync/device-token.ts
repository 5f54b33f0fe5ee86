/**
 * Where the device token lives: never in the replica (a copied database file must not carry the
 * right to sync) and never in a log. The desktop app keeps it in the OS keystore (Electron
 * safeStorage, see main/app); tests and the browser harness use a file only its owner can read.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface DeviceTokenStore {
  read(): string | null;
  write(token: string): void;
  clear(): void;
}

export function fileTokenStore(file: string): DeviceTokenStore {
  let cached: string | null | undefined;
  return {
    read() {
      if (cached === undefined)
        cached = existsSync(file) ? readFileSync(file, 'utf8').trim() || null : null;
      return cached;
    },
    write(token) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, token, { mode: 0o600 });
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

export function memoryTokenStore(initial: string | null = null): DeviceTokenStore {
  let token = initial;
  return {
    read: () => token,
    write: (value) => {
      token = value;
    },
    clear: () => {
      token = null;
    },
  };
}

/**
 * Whether the OS key store may protect the replica's key (issue 11). Electron's safeStorage on
 * Linux falls back to `basic_text`, which encrypts with a password built into every copy of
 * Chromium: a key wrapped that way is as good as stored in clear, so the app refuses to open
 * patient data rather than fall back silently. Pure: main/app gathers the facts and shows the
 * sentence.
 */

export interface KeystoreFacts {
  platform: NodeJS.Platform;
  /** safeStorage.isEncryptionAvailable() */
  available: boolean;
  /** safeStorage.getSelectedStorageBackend() on Linux; null elsewhere. */
  linuxBackend: string | null;
}

export type KeystoreVerdict = { trusted: true } | { trusted: false; reason: string };

/** Linux backends that keep the wrapping key in a per-user secret service. */
const LINUX_SECRET_SERVICES = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

const NOTHING_CHANGED = 'Nothing was opened or changed.';
const LINUX_FIX =
  'Install and unlock a secret service for this user (GNOME Keyring through libsecret, or KWallet), then start Wardline again.';

export function trustKeystore(facts: KeystoreFacts): KeystoreVerdict {
  if (!facts.available) {
    const fix =
      facts.platform === 'linux'
        ? LINUX_FIX
        : "Start Wardline signed in to the user's own account (not a service or temporary profile), then try again.";
    return refuse(
      `the operating system's key store is not available to this user, so the replica's key cannot be protected. ${fix}`,
    );
  }
  if (facts.platform !== 'linux') return { trusted: true };
  const backend = facts.linuxBackend ?? 'unknown';
  if (LINUX_SECRET_SERVICES.has(backend)) return { trusted: true };
  if (backend === 'basic_text') {
    return refuse(
      `the only key store found is "basic_text", which hides keys behind a password built into every copy of the software. ${LINUX_FIX}`,
    );
  }
  return refuse(`the key store in use ("${backend}") cannot be confirmed as safe. ${LINUX_FIX}`);
}

function refuse(why: string): KeystoreVerdict {
  return {
    trusted: false,
    reason: `Wardline will not open patient data on this computer: ${why} ${NOTHING_CHANGED}`,
  };
}

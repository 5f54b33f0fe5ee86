import { describe, expect, it } from 'vitest';
import { trustKeystore, type KeystoreFacts } from '../../../main/keystore-trust';

const linux = (linuxBackend: string | null, available = true): KeystoreFacts => ({
  platform: 'linux',
  available,
  linuxBackend,
});

function refusal(facts: KeystoreFacts): string {
  const verdict = trustKeystore(facts);
  if (verdict.trusted) throw new Error(`expected ${JSON.stringify(facts)} to be refused`);
  return verdict.reason;
}

describe('whether the OS key store may protect the replica key', () => {
  it('trusts a Linux secret service, DPAPI and the Keychain', () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']) {
      expect(trustKeystore(linux(backend))).toEqual({ trusted: true });
    }
    expect(trustKeystore({ platform: 'win32', available: true, linuxBackend: null })).toEqual({
      trusted: true,
    });
    expect(trustKeystore({ platform: 'darwin', available: true, linuxBackend: null })).toEqual({
      trusted: true,
    });
  });

  it('refuses Linux with no secret store (basic_text), saying what IT should install', () => {
    const reason = refusal(linux('basic_text'));
    expect(reason).toMatch(/^Wardline will not open patient data on this computer/);
    expect(reason).toMatch(/basic_text/);
    expect(reason).toMatch(/GNOME Keyring .* or KWallet/);
    expect(reason).toMatch(/Nothing was opened or changed\.$/);
  });

  it('refuses a backend it cannot name, or none reported', () => {
    expect(refusal(linux('unknown'))).toMatch(/"unknown"/);
    expect(refusal(linux(null))).toMatch(/"unknown"/);
    expect(refusal(linux('some_future_store'))).toMatch(/"some_future_store"/);
  });

  it('refuses when safeStorage is unavailable, whatever the platform or backend', () => {
    expect(refusal(linux('gnome_libsecret', false))).toMatch(/not available to this user/);
    expect(refusal({ platform: 'win32', available: false, linuxBackend: null })).toMatch(
      /user's own account/,
    );
  });
});

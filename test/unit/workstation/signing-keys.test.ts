/**
 * A person's signing key on the workstation: sealed under their password (argon2id, AES-256-GCM)
 * in a real replica file, opened only with that password, bound to its owner, and retired when
 * a new one is stored.
 */
import { createPublicKey, verify } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signingKeys } from '../../../db/local/schema';
import {
  currentSigningKey,
  newSigningKey,
  storeSigningKey,
  unsealSigningKey,
} from '../../../main/auth/signing-keys';
import { createTestReplica, type TestReplica } from '../../support/sqlite';

const nurse = '0190f5d2-7c1a-7000-8000-00000000aaaa';
const doctor = '0190f5d2-7c1a-7000-8000-00000000bbbb';
const NOW = new Date('2026-11-23T08:00:00.000Z');

const verifies = (publicKey: string, text: string, signature: string) =>
  verify(
    null,
    Buffer.from(text, 'utf8'),
    createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' }),
    Buffer.from(signature, 'base64url'),
  );

describe('a signing key sealed under a password', () => {
  let replica: TestReplica;
  beforeEach(() => {
    replica = createTestReplica();
  });
  afterEach(() => {
    replica.close();
  });

  it('opens with that password only, and signs what its public key verifies', async () => {
    const key = newSigningKey(nurse);
    const seed = key.privateKey.export({ format: 'jwk' }).d ?? '';
    await storeSigningKey(replica.db, key, 'nurse123', NOW);
    const row = currentSigningKey(replica.db, nurse);
    if (!row) throw new Error('no key stored');
    expect(row.publicKey).toBe(key.signer.publicKey);
    expect(row.sealedPrivateKey).not.toContain(seed);
    expect(row.kdf).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });

    expect(await unsealSigningKey(row, 'nurse124')).toBeNull();
    const opened = await unsealSigningKey(row, 'nurse123');
    if (!opened) throw new Error('the right password did not open the key');
    const signature = opened.signer.sign('wardline-mutation-v1\n{}');
    expect(verifies(row.publicKey, 'wardline-mutation-v1\n{}', signature)).toBe(true);
    expect(verifies(row.publicKey, 'wardline-mutation-v1\n{ }', signature)).toBe(false);
  });

  it('is bound to its owner: the sealed key moved to another person does not open', async () => {
    await storeSigningKey(replica.db, newSigningKey(nurse), 'same-password', NOW);
    const row = currentSigningKey(replica.db, nurse);
    if (!row) throw new Error('no key stored');
    expect(await unsealSigningKey({ ...row, userId: doctor }, 'same-password')).toBeNull();
  });

  it('a new key retires the one before it, which stays sealed', async () => {
    const first = newSigningKey(nurse);
    await storeSigningKey(replica.db, first, 'old-password', NOW);
    const second = newSigningKey(nurse);
    await storeSigningKey(replica.db, second, 'new-password', new Date(NOW.getTime() + 1000));
    expect(currentSigningKey(replica.db, nurse)?.publicKey).toBe(second.signer.publicKey);
    const rows = replica.db.select().from(signingKeys).all();
    expect(rows.map((row) => [row.publicKey, row.retiredAt])).toEqual(
      expect.arrayContaining([
        [first.signer.publicKey, '2026-11-23T08:00:01.000Z'],
        [second.signer.publicKey, null],
      ]),
    );
  });
});

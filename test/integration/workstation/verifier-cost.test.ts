/**
 * The offline verifier is hashed at OWASP's argon2id cost, the server's: a stolen replica is no
 * easier to guess from than the server. A verifier an older build cached at a lower cost is made
 * again at the next successful sign-in, online or offline, and never at a failed one.
 */
import argon2 from 'argon2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedCredentials } from '../../../db/local/schema';
import { argon2idCostOf, ARGON2ID_COST } from '../../../shared/password-hash-cost';
import { createTestWorkstation, type TestWorkstation } from './support';

const nurse = { email: 'nurse@hass.example', password: 'nurse123' };
const WEAK = { memoryCost: 4096, timeCost: 1, parallelism: 1 };

describe('the offline verifier’s cost', () => {
  let ws: TestWorkstation;
  beforeEach(() => {
    ws = createTestWorkstation();
  });
  afterEach(() => {
    ws.close();
  });

  const storedCost = () =>
    argon2idCostOf(ws.replica.db.select().from(cachedCredentials).get()?.verifier ?? '');

  /** As a build from before this cost would have left it. */
  const cacheWeakVerifier = async () => {
    const verifier = await argon2.hash(nurse.password, { type: argon2.argon2id, ...WEAK });
    ws.replica.db.update(cachedCredentials).set({ verifier }).run();
    expect(storedCost()).toEqual(WEAK);
  };

  it('is argon2id with m ≥ 19456 KiB, t ≥ 2, p = 1', async () => {
    await ws.caller.auth.login(nurse);
    const cost = storedCost();
    expect(cost).toEqual(ARGON2ID_COST);
    expect(cost?.memoryCost).toBeGreaterThanOrEqual(19_456);
    expect(cost?.timeCost).toBeGreaterThanOrEqual(2);
    expect(cost?.parallelism).toBe(1);
  });

  it('a weaker verifier is made again at the next successful offline sign-in, not at a failed one', async () => {
    await ws.caller.auth.login(nurse);
    await ws.caller.auth.logout();
    await cacheWeakVerifier();
    ws.serverAuth.online = false;
    await expect(ws.caller.auth.login({ ...nurse, password: 'nurse124' })).rejects.toThrow();
    expect(storedCost()).toEqual(WEAK);
    expect((await ws.caller.auth.login(nurse)).mode).toBe('offline');
    expect(storedCost()).toEqual(ARGON2ID_COST);
    await ws.caller.auth.logout();
    expect((await ws.caller.auth.login(nurse)).mode).toBe('offline');
  });

  it('and at the next successful online sign-in', async () => {
    await ws.caller.auth.login(nurse);
    await ws.caller.auth.logout();
    await cacheWeakVerifier();
    expect((await ws.caller.auth.login(nurse)).mode).toBe('online');
    expect(storedCost()).toEqual(ARGON2ID_COST);
  });
});

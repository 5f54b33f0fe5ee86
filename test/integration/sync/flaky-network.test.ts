/**
 * Thousands of offline entries pushed through a network that cuts requests and replies part-way
 * and delays answers: the server ends with exactly one row per mutation, and the workstation
 * with the server's rows (test/soak scenario, fixed seed).
 */
import { describe, expect, it } from 'vitest';
import { flakyNetwork } from '../../soak/scenarios/flaky-network';

describe('sync over a flaky network', () => {
  it('delivers every entry exactly once however often the connection drops', async () => {
    const outcome = await flakyNetwork({}, { seed: 20261123, entries: 2000 });
    expect(outcome).toMatchObject({ mutations: 2000, lost: 0, doubled: 0, diverged: 0 });
    expect(outcome.applied).toBe(2000);
    expect(outcome.failedSyncs).toBeGreaterThan(0);
    expect(outcome.faults).toBeGreaterThan(0);
  });
});

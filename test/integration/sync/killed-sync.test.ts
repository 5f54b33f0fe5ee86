/**
 * The workstation's sync process is killed (SIGKILL) at random points while it pushes thousands
 * of offline entries (kills land within 60 ms of the sync starting, a batch or less), again and
 * again. Each restart resumes from what was durably recorded: the server ends with exactly one row
 * per mutation and the replica with the server's rows (test/soak scenario, fixed seed).
 */
import { describe, expect, it } from 'vitest';
import { killedSync } from '../../soak/scenarios/killed-sync';

describe('a sync process killed mid-push', () => {
  it('resumes without loss or duplicates, kill after kill', { timeout: 180_000 }, async () => {
    const outcome = await killedSync({}, { seed: 42, entries: 5000, kills: 10 });
    expect(outcome).toMatchObject({ mutations: 5000, lost: 0, doubled: 0, diverged: 0 });
    expect(outcome.faults).toBeGreaterThanOrEqual(3);
  });
});

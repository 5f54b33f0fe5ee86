/**
 * The central server process is stopped and started again while a workstation pushes thousands
 * of offline entries: the push picks up where it stopped, and nothing is lost or doubled.
 * The server runs as `npm run server -- serve` runs it (node --import tsx server/cli.ts), on its
 * own embedded PostgreSQL (test/soak scenario, fixed seed).
 */
import { describe, expect, it } from 'vitest';
import { serverRestart } from '../../soak/scenarios/server-restart';

const ENTRIES = 3000;

describe('a server restarted mid-sync', () => {
  it(
    'resumes the push after the restart without loss or duplicates',
    { timeout: 120_000 },
    async () => {
      const outcome = await serverRestart({ seed: 1, entries: ENTRIES });
      expect(outcome).toMatchObject({ mutations: ENTRIES, lost: 0, doubled: 0, diverged: 0 });
      expect(outcome.faults).toBe(1);
      expect(outcome.exitCode).toBe(0);
      expect(outcome.leftAtStop).toBeGreaterThan(0);
      expect(outcome.leftAtStop).toBeLessThan(ENTRIES);
    },
  );
});

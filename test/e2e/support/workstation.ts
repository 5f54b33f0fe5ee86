/** A workstation for a browser scenario: the harness with the demo hospital and a built renderer. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../../main/clock';
import { startHarness, type Harness } from '../../harness/server';
import { createDemoServerAuth, type DemoServerAuth } from '../../harness/demo-server-auth';

export interface E2eWorkstation {
  harness: Harness;
  serverAuth: DemoServerAuth;
  close(): Promise<void>;
}

export async function startWorkstation(
  staticDir: string,
  options: { clock?: Clock } = {},
): Promise<E2eWorkstation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wardline-e2e-'));
  const serverAuth = createDemoServerAuth();
  const harness = await startHarness({ dataDir, staticDir, serverAuth, ...options });
  return {
    harness,
    serverAuth,
    async close() {
      await harness.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A workstation clock that reads `minutesPast` the drug round (08:00, 14:00, 22:00 local) nearest
 * to the real time and runs on from there, so what is due on the ward board does not depend on
 * when the suite runs. The demo data is seeded at that time too.
 */
export function clockAtDrugRound(minutesPast: number): Clock {
  const now = Date.now();
  const rounds = [-1, 0, 1].flatMap((day) =>
    [8, 14, 22].map((hour) => {
      const at = new Date(now);
      at.setDate(at.getDate() + day);
      at.setHours(hour, minutesPast, 0, 0);
      return at.getTime();
    }),
  );
  const nearest = rounds.reduce((best, at) =>
    Math.abs(at - now) < Math.abs(best - now) ? at : best,
  );
  return { now: () => new Date(Date.now() + nearest - now) };
}

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

export async function startWorkstation(staticDir: string, options: { clock?: Clock } = {}): Promise<E2eWorkstation> {
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

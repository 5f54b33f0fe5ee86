import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../server/db/embedded-postgres';
import { freePort } from './free-port';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the embedded cluster's maintenance database; tests create their own databases. */
    postgresAdminUrl: string;
    postgresPort: number;
  }
}

/** One real PostgreSQL for the whole run, on a free port in a temporary folder. */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(join(tmpdir(), 'wardline-test-pg-'));
  const port = await freePort();
  const cluster = await startEmbeddedPostgres({ dataDir, port, database: 'postgres' });
  project.provide('postgresAdminUrl', cluster.url);
  project.provide('postgresPort', port);
  return async () => {
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}

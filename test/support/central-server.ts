import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedCentralDatabase } from '../../db/central/seed';
import { buildServer } from '../../server/app';
import { createEnrollmentCode } from '../../server/devices/enrollment';
import { createTestDatabase, type TestDatabase } from './postgres';

export interface CentralServer {
  url: string;
  database: TestDatabase;
  /** The folder attachment files are kept in; null when they go to PostgreSQL. */
  attachmentsDir: string | null;
  /** A fresh single-use enrollment code for the demo hospital (or another by code). */
  enrollmentCode(hospitalCode?: string): Promise<string>;
  close(): Promise<void>;
}

/** The real /v1 server on 127.0.0.1, over its own fresh database with the demo hospital. */
export async function startCentralServer(
  options: {
    demo?: boolean;
    database?: TestDatabase;
    bodyLimit?: number;
    adminUrl?: string;
    /** The server's clock (it stamps the pull cursors it hands out, among others). */
    now?: () => Date;
    /** Where attachment files go: a temporary folder, as serve's data folder (default), or PostgreSQL. */
    attachments?: 'folder' | 'database';
  } = {},
): Promise<CentralServer> {
  const database =
    options.database ??
    (await createTestDatabase(options.adminUrl ? { adminUrl: options.adminUrl } : {}));
  if (!options.database) await seedCentralDatabase(database.db, { demo: options.demo ?? true });
  const attachmentsDir =
    options.attachments === 'database'
      ? null
      : mkdtempSync(join(tmpdir(), 'wardline-attachments-'));
  const app = await buildServer({
    pool: database.db.$client,
    ...(attachmentsDir ? { attachmentsDir } : {}),
    logger: process.env.WARDLINE_TEST_LOG ? { level: 'error' } : false,
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    attachmentsDir,
    enrollmentCode: async (hospitalCode = 'NGH') =>
      (await createEnrollmentCode(database.db.$client, { hospitalCode })).code,
    close: async () => {
      await app.close();
      if (attachmentsDir) rmSync(attachmentsDir, { recursive: true, force: true });
      if (!options.database) await database.drop();
    },
  };
}

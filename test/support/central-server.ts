import type { AddressInfo } from 'node:net';
import { seedCentralDatabase } from '../../db/central/seed';
import { buildServer } from '../../server/app';
import { createEnrollmentCode } from '../../server/devices/enrollment';
import { createTestDatabase, type TestDatabase } from './postgres';

export interface CentralServer {
  url: string;
  database: TestDatabase;
  /** A fresh single-use enrollment code for the demo hospital (or another by code). */
  enrollmentCode(hospitalCode?: string): Promise<string>;
  close(): Promise<void>;
}

/** The real /v1 server on 127.0.0.1, over its own fresh database with the demo hospital. */
export async function startCentralServer(
  options: { demo?: boolean; database?: TestDatabase; bodyLimit?: number } = {},
): Promise<CentralServer> {
  const database = options.database ?? (await createTestDatabase());
  if (!options.database) await seedCentralDatabase(database.db, { demo: options.demo ?? true });
  const app = await buildServer({
    pool: database.db.$client,
    logger: false,
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    enrollmentCode: async (hospitalCode = 'NGH') =>
      (await createEnrollmentCode(database.db.$client, { hospitalCode })).code,
    close: async () => {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}

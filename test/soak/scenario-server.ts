/**
 * The central server of a soak run, over a database of its own copied from a template that is
 * migrated and seeded (demo people, argon2 password hashes) once per cluster: `CREATE DATABASE
 * … TEMPLATE` copies files, where migrating and seeding anew cost most of a short run. Each run
 * still gets a new, empty-of-entries database, dropped after it.
 */
import { randomUUID } from 'node:crypto';
import { migrateCentralDatabase } from '../../db/central/migrate';
import { seedCentralDatabase } from '../../db/central/seed';
import { connectCentralDatabase } from '../../server/db/connect';
import { startCentralServer, type CentralServer } from '../support/central-server';
import { admin, databaseUrl, type TestDatabase } from '../support/postgres';

const TEMPLATE = 'wardline_soak_template';

const templates = new Map<string, Promise<void>>();

/** The cluster's template, made once per cluster even when scenarios run side by side. */
function ensureTemplate(adminUrl: string): Promise<void> {
  let made = templates.get(adminUrl);
  if (!made) {
    made = makeTemplate(adminUrl);
    made.catch(() => templates.delete(adminUrl));
    templates.set(adminUrl, made);
  }
  return made;
}

/** Makes the cluster's template (migrated, demo-seeded) unless it is there already. */
async function makeTemplate(adminUrl: string): Promise<void> {
  const present = await admin(adminUrl, (client) =>
    client.query('select 1 from pg_database where datname = $1', [TEMPLATE]),
  );
  if (present.rowCount) return;
  // Built under another name and renamed once complete, so a soak stopped half-way through
  // never leaves a template without its seed.
  const building = `${TEMPLATE}_${randomUUID().replaceAll('-', '')}`;
  await admin(adminUrl, (client) => client.query(`create database ${building}`));
  const db = connectCentralDatabase(databaseUrl(adminUrl, building), { max: 1 });
  try {
    await migrateCentralDatabase(db);
    await seedCentralDatabase(db, { demo: true });
  } finally {
    await db.$client.end();
  }
  await admin(adminUrl, (client) =>
    client.query(`alter database ${building} rename to ${TEMPLATE}`),
  );
}

/** A new database copied from the cluster's template. */
export async function templateDatabase(adminUrl: string): Promise<TestDatabase> {
  await ensureTemplate(adminUrl);
  const name = `soak_${randomUUID().replaceAll('-', '')}`;
  await admin(adminUrl, (client) => client.query(`create database ${name} template ${TEMPLATE}`));
  const url = databaseUrl(adminUrl, name);
  const db = connectCentralDatabase(url, { max: 4 });
  return {
    url,
    db,
    drop: async () => {
      await db.$client.end();
      await admin(adminUrl, (client) =>
        client.query(`drop database if exists ${name} with (force)`),
      );
    },
  };
}

/**
 * The server of one run: on a template copy in the cluster of `adminUrl` (the soak's), else on
 * a new migrated database of the tests' cluster (vitest), as before.
 */
export async function startScenarioServer(env: { adminUrl?: string }): Promise<CentralServer> {
  if (!env.adminUrl) return startCentralServer();
  const database = await templateDatabase(env.adminUrl);
  try {
    const server = await startCentralServer({ database });
    return {
      ...server,
      close: async () => {
        await server.close();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

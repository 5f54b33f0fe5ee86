/**
 * More than one server process on one PostgreSQL (docs/SERVER.md, "Several server processes"):
 * two `serve` processes, started as IT starts them, on the same database. Devices push through
 * either process, a batch sometimes resent through the other, while a device pulls through both
 * in turn: every mutation is applied exactly once, and the puller misses no change.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seedCentralDatabase } from '../../../db/central/seed';
import { startServerProcess, type ServerProcess } from '../../../scripts/server-process';
import type { Change, MutationResult } from '../../../shared/protocol';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { seededRandom } from '../../support/seeded-random';
import {
  enroll,
  mutation,
  NOW,
  pullAll,
  push,
  vitalsRow,
  type Device,
  type ServerAddress,
} from './harness';

let database: TestDatabase;
let dataDir: string;
const processes: ServerProcess[] = [];
let servers: ServerAddress[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await seedCentralDatabase(database.db, { demo: true, now: NOW });
  dataDir = mkdtempSync(join(tmpdir(), 'wardline-two-processes-'));
  // Started together, as a deployment starts its processes: each brings reference data up to date.
  processes.push(
    ...(await Promise.all(
      ['a', 'b'].map((name) =>
        startServerProcess({
          dataDir: join(dataDir, name),
          port: 0,
          databaseUrl: database.url,
          demo: false,
        }),
      ),
    )),
  );
  // Enrollment codes expire by the processes' own clock, which is the real one.
  servers = processes.map((server) => ({ url: server.url, database, clock: { now: new Date() } }));
}, 120_000);

afterAll(async () => {
  await Promise.all(processes.map((server) => server.stop()));
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const through = (index: number): ServerAddress => {
  const server = servers[index % servers.length];
  if (!server) throw new Error('no server process');
  return server;
};

test('pushes through either process apply once, and a pull through both misses nothing', async () => {
  const seed = Number(process.env.WARDLINE_SEED ?? Date.now() % 100_000);
  console.log(`two-processes seed ${String(seed)}`);
  const random = seededRandom(seed);
  const pushers: Device[] = await Promise.all([0, 1, 2, 3].map((i) => enroll(through(i))));
  const puller = await enroll(through(1));
  const seen = new Map<string, Change>();
  let cursor: string | undefined;
  const pullOnce = async (index: number) => {
    const page = await pullAll(through(index), puller, cursor, 100);
    for (const change of page.changes) seen.set(`${change.table}:${change.id}`, change);
    cursor = page.cursor;
  };

  const applied: MutationResult[] = [];
  const sent = new Map<string, string>();
  const progress = { pushing: true };
  const pushAll = Promise.all(
    pushers.map(async (device, deviceIndex) => {
      for (let batch = 0; batch < 8; batch += 1) {
        const mutations = Array.from({ length: 25 }, (_, index) =>
          mutation({
            table: 'vitals',
            op: 'insert',
            id: randomUUID(),
            data: vitalsRow(index % 6, { heartRate: 60 + index }),
          }),
        );
        for (const item of mutations) sent.set(item.mutationId, item.id);
        const first = Math.floor(random() * 2);
        const results = await push(through(first + deviceIndex), device, mutations);
        applied.push(...results.filter((result) => result.status === 'applied'));
        // A lost answer: the same batch again, through the other process.
        if (random() < 0.3) {
          const again = await push(through(first + deviceIndex + 1), device, mutations);
          expect(new Set(again.map((result) => result.status))).toEqual(new Set(['duplicate']));
        }
      }
    }),
  ).finally(() => {
    progress.pushing = false;
  });
  for (let round = 0; progress.pushing; round += 1) await pullOnce(round);
  await pushAll;
  await pullOnce(0);
  await pullOnce(1);

  expect(applied).toHaveLength(sent.size);
  const stored = await database.db.$client.query<{ n: string }>(
    'select count(*) as n from vitals where id = any($1::uuid[])',
    [[...sent.values()]],
  );
  expect(Number(stored.rows[0]?.n)).toBe(sent.size);
  const missed = [...sent.values()].filter((id) => !seen.has(`vitals:${id}`));
  expect(missed).toEqual([]);
}, 180_000);

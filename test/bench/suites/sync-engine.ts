/**
 * The workstation's sync engine against the real server on loopback:
 * - drain: time to push 10,000 outbox mutations (vitals charted offline) beside a raw pg
 *   multi-row INSERT of the same rows (goal ≥ 20%);
 * - first pull: time for a new workstation to pull a replica of 1,000,000 rows into its
 *   encrypted replica, beside a raw better-sqlite3 insert of the same rows into the same schema,
 *   unencrypted (goal ≥ 30%), and beside the same pull into an unencrypted replica (goal ≥ 80%:
 *   encryption costs at most 1.25× the time).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { migrateCentralDatabase } from '../../../db/central/migrate';
import { seedCentralDatabase } from '../../../db/central/seed';
import { openLocalDatabase } from '../../../db/local/open';
import { newReplicaKey } from '../../../main/replica-key';
import { memoryTokenStore } from '../../../main/sync/device-token';
import { enrollWorkstation } from '../../../main/sync/enroll';
import { pullChanges } from '../../../main/sync/pull';
import { pushOutbox } from '../../../main/sync/push';
import { createSyncTransport } from '../../../main/sync/transport';
import { buildServer } from '../../../server/app';
import { connectCentralDatabase } from '../../../server/db/connect';
import { startEmbeddedPostgres } from '../../../server/db/embedded-postgres';
import { findFreePort } from '../../../server/db/free-port';
import { createEnrollmentCode } from '../../../server/devices/enrollment';
import { chartManyVitals, enrolledWorkstation } from '../../support/workstation';
import { throughputFigure, type BenchContext, type BenchFigure } from '../figures';

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

export default async function syncEngineBench(ctx: BenchContext): Promise<BenchFigure[]> {
  const drainSize = ctx.size(10_000);
  const pullSize = ctx.size(1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'wardline-bench-sync-'));
  const cluster = await startEmbeddedPostgres({
    dataDir: dir,
    port: await findFreePort(),
  });
  const db = connectCentralDatabase(cluster.url, { max: 12 });
  try {
    await migrateCentralDatabase(db);
    await seedCentralDatabase(db, { demo: true });
    const app = await buildServer({ pool: db.$client, logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const enroll = async () =>
      (await createEnrollmentCode(db.$client, { hospitalCode: 'NGH' })).code;

    // Drain: vitals charted offline, then pushed until the outbox is empty.
    const ward = await enrolledWorkstation('bench-drain', url, await enroll());
    chartManyVitals(ward.as('nurse@hass.example'), drainSize, 'bench-drain');
    const transport = ward.engine.transport();
    if (!transport) throw new Error('bench workstation is not enrolled');
    let start = process.hrtime.bigint();
    await pushOutbox(ward.db, transport);
    const drainSeconds = seconds(start);
    const pushed = await db.execute(sql`select * from vitals where notes like 'bench-drain %'`);
    // The baseline writes the same rows (under new ids) into the same table, with its indexes,
    // foreign keys and change-feed trigger, as the server bench's baseline does.
    const columns = Object.keys(pushed.rows[0] ?? {});
    start = process.hrtime.bigint();
    for (let i = 0; i < pushed.rows.length; i += 500) {
      const chunk = pushed.rows.slice(i, i + 500);
      // pg sends a JS array as a Postgres array; jsonb columns need JSON text.
      const values = chunk.flatMap((row) =>
        columns.map((column) => {
          const value = column === 'id' ? randomUUID() : row[column];
          return value !== null && typeof value === 'object' && !(value instanceof Date)
            ? JSON.stringify(value)
            : value;
        }),
      );
      const tuples = chunk.map(
        (_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`,
      );
      await db.$client.query(
        `insert into vitals (${columns.join(', ')}) values ${tuples.join(', ')}`,
        values,
      );
    }
    const rawInsertSeconds = seconds(start);
    ctx.log(
      `drain: ${drainSize} mutations in ${drainSeconds.toFixed(2)} s; raw pg insert ${rawInsertSeconds.toFixed(2)} s`,
    );
    await ward.close();

    // First pull: the hospital grows to the full size, then a new workstation joins.
    const existing = Number(
      (await db.execute<{ n: string }>(sql`select count(*) as n from change_feed`)).rows[0]?.n,
    );
    await db.execute(sql`
      insert into vitals (id, hospital_id, visit_id, patient_id, recorded_at, temperature_c, heart_rate,
                          systolic, diastolic, respiratory_rate, spo2, abnormal, recorded_by, notes)
      select gen_random_uuid(), v.hospital_id, v.id, v.patient_id,
             now() - (g * interval '1 minute'),
             36.0 + (g % 25) / 10.0, 55 + (g * 7) % 60, 100 + (g * 3) % 60, 60 + (g * 5) % 35,
             10 + g % 14, 90 + g % 11,
             case when g % 9 = 0 then '[{"sign":"heartRate","direction":"high"}]'::jsonb else '[]'::jsonb end,
             (select id from users where email = 'nurse@hass.example'), 'bench-pull ' || g
      from generate_series(1, ${Math.max(0, pullSize - existing - drainSize)}) g
      join lateral (select * from visits where status = 'admitted' order by id offset (g % 6) limit 1) v on true`);
    const newcomer = mkdtempSync(join(tmpdir(), 'wardline-bench-newcomer-'));
    const firstPull = async (name: string, key: Buffer | null) => {
      const replica = openLocalDatabase(join(newcomer, `${name}.db`), { key });
      const tokens = memoryTokenStore();
      await enrollWorkstation(replica, tokens, {
        serverUrl: url,
        code: await enroll(),
        deviceName: `bench-${name}`,
      });
      const client = createSyncTransport({ baseUrl: url, deviceToken: () => tokens.read() });
      const pullStart = process.hrtime.bigint();
      const result = await pullChanges(replica, client);
      return { replica, applied: result.applied, seconds: seconds(pullStart) };
    };
    // Encrypted first: the server's caches are then warmer for the unencrypted pull, so the
    // overhead ratio errs against encryption.
    const pulled = await firstPull('replica', newReplicaKey());
    const plainPull = await firstPull('plain', null);
    plainPull.replica.$client.close();
    const replica = pulled.replica;
    const pullSeconds = pulled.seconds;

    // Baseline: the same rows, inserted raw into a fresh unencrypted file of the same schema.
    const rows = replica.$client.prepare('select * from vitals').raw().all() as unknown[][];
    const columnNames = replica.$client
      .prepare('select * from vitals limit 1')
      .columns()
      .map((c) => c.name);
    replica.$client.close();
    const rawFile = join(newcomer, 'raw.db');
    openLocalDatabase(rawFile, { key: null }).$client.close();
    const raw = new Database(rawFile);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.pragma('foreign_keys = OFF');
    const insert = raw.prepare(
      `insert into vitals (${columnNames.join(', ')}) values (${columnNames.map(() => '?').join(', ')})`,
    );
    start = process.hrtime.bigint();
    raw.transaction(() => {
      for (const row of rows) insert.run(row);
    })();
    const rawSqliteSeconds = seconds(start);
    raw.close();
    rmSync(newcomer, { recursive: true, force: true });
    ctx.log(
      `first pull: ${pulled.applied} rows in ${pullSeconds.toFixed(2)} s encrypted, ${plainPull.seconds.toFixed(2)} s unencrypted; raw sqlite insert of its ${rows.length} vitals ${rawSqliteSeconds.toFixed(2)} s`,
    );
    await app.close();

    return [
      throughputFigure({
        figure: 'sync.drain',
        unit: 'mutations/s',
        value: drainSize / drainSeconds,
        baseline: 'pg multi-row insert of the same rows into the same table',
        baselineValue: pushed.rows.length / rawInsertSeconds,
        minRatio: 0.2,
        size: drainSize,
      }),
      throughputFigure({
        figure: 'sync.initial_pull',
        unit: 'rows/s',
        value: pulled.applied / pullSeconds,
        baseline: 'better-sqlite3 insert of the same rows, one transaction, unencrypted file',
        baselineValue: rows.length / rawSqliteSeconds,
        minRatio: 0.3,
        size: pulled.applied,
      }),
      throughputFigure({
        figure: 'encryption.initial_pull',
        unit: 'rows/s',
        value: pulled.applied / pullSeconds,
        baseline: 'the same first pull into an unencrypted replica, same run',
        baselineValue: plainPull.applied / plainPull.seconds,
        minRatio: 0.8,
        size: pulled.applied,
      }),
    ];
  } finally {
    await db.$client.end();
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

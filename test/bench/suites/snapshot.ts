/**
 * Snapshot first sync (docs/SYNC.md), at the hospital: 100,000 patients, three years of
 * stays and 5,000,000 vitals (`--quick`: a tenth). A new workstation enrolls and loads it:
 * - snapshot.load: rows/s of the whole-hospital snapshot into an encrypted replica, beside a
 *   better-sqlite3 insert of the same rows into a fresh unencrypted file of the same schema, one
 *   transaction (goal ≥ 0.5×);
 * - first_sync.whole / first_sync.scoped: enrollment to a usable sign-in (first sync complete),
 *   whole hospital and scoped (30 days), encrypted (goal ≤ 60 s);
 * - rows and compressed bytes transferred and replica size, scoped beside whole.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { migrateCentralDatabase } from '../../../db/central/migrate';
import { seedCentralDatabase } from '../../../db/central/seed';
import { openLocalDatabase } from '../../../db/local/open';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { newReplicaKey } from '../../../main/replica-key';
import { memoryTokenStore } from '../../../main/sync/device-token';
import { enrollWorkstation } from '../../../main/sync/enroll';
import { pullChanges } from '../../../main/sync/pull';
import { loadSnapshot } from '../../../main/sync/snapshot';
import { createSyncTransport } from '../../../main/sync/transport';
import { buildServer } from '../../../server/app';
import { connectCentralDatabase } from '../../../server/db/connect';
import { startEmbeddedPostgres } from '../../../server/db/embedded-postgres';
import { findFreePort } from '../../../server/db/free-port';
import { createEnrollmentCode } from '../../../server/devices/enrollment';
import { SYNCED_TABLES } from '../../../shared/catalog';
import { latencyFigure, throughputFigure, type BenchContext, type BenchFigure } from '../figures';

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** A figure reported beside its whole-hospital counterpart: no goal, the ratio says the saving. */
function besideWhole(figure: string, unit: string, scoped: number, whole: number, size: number) {
  return {
    figure,
    value: scoped,
    unit,
    baseline: 'the same for the whole hospital, same run',
    baselineValue: whole,
    ratio: Math.round((scoped / whole) * 1000) / 1000,
    goal: 'report',
    met: true,
    size,
  } satisfies BenchFigure;
}

export default async function snapshotBench(ctx: BenchContext): Promise<BenchFigure[]> {
  const patientCount = ctx.size(100_000);
  const vitalsCount = ctx.size(5_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'wardline-bench-snapshot-'));
  const cluster = await startEmbeddedPostgres({ dataDir: dir, port: await findFreePort() });
  const db = connectCentralDatabase(cluster.url, { max: 8 });
  try {
    await migrateCentralDatabase(db);
    await seedCentralDatabase(db, { demo: true });
    let start = process.hrtime.bigint();
    await generateHospital(db.$client, patientCount, vitalsCount);
    ctx.log(
      `generated ${patientCount} patients, ${vitalsCount} vitals in ${seconds(start).toFixed(0)} s`,
    );
    const app = await buildServer({ pool: db.$client, logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const newcomer = mkdtempSync(join(tmpdir(), 'wardline-bench-snapshot-ws-'));

    /** Enrollment to a usable sign-in: enroll, snapshot, pull (the first sync's phases). */
    const firstSync = async (name: string, dischargedWithinDays: number | null) => {
      const file = join(newcomer, `${name}.db`);
      const replica = openLocalDatabase(file, { key: newReplicaKey() });
      const tokens = memoryTokenStore();
      const code = (await createEnrollmentCode(db.$client, { hospitalCode: 'NGH' })).code;
      const began = process.hrtime.bigint();
      await enrollWorkstation(replica, tokens, { serverUrl: url, code, deviceName: name });
      const client = createSyncTransport({ baseUrl: url, deviceToken: () => tokens.read() });
      const loadBegan = process.hrtime.bigint();
      const loaded = await loadSnapshot(replica, client, { dischargedWithinDays });
      const loadSeconds = seconds(loadBegan);
      const pulled = await pullChanges(replica, client);
      const total = seconds(began);
      replica.$client.pragma('wal_checkpoint(TRUNCATE)');
      const size = statSync(file).size;
      ctx.log(
        `${name}: ${loaded.rows} rows, ${(loaded.bytes / 1e6).toFixed(1)} MB compressed, loaded in ${loadSeconds.toFixed(1)} s, then ${pulled.applied} pulled; sign-in after ${total.toFixed(1)} s; replica ${(size / 1e6).toFixed(0)} MB`,
      );
      return { replica, file, rows: loaded.rows, bytes: loaded.bytes, loadSeconds, total, size };
    };
    const whole = await firstSync('whole', null);
    const scoped = await firstSync('scoped', 30);
    scoped.replica.$client.close();

    // Baseline: the same rows, raw into a fresh unencrypted file of the same schema.
    const rawFile = join(newcomer, 'raw.db');
    openLocalDatabase(rawFile, { key: null }).$client.close();
    const raw = new Database(rawFile);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.pragma('foreign_keys = OFF');
    const tables = SYNCED_TABLES.map((table) => {
      const rows = whole.replica.$client.prepare(`select * from "${table.name}"`).raw().all();
      const columns = whole.replica.$client
        .prepare(`select * from "${table.name}" limit 1`)
        .columns()
        .map((column) => column.name);
      return { name: table.name, rows: rows as unknown[][], columns };
    });
    whole.replica.$client.close();
    let rawRows = 0;
    start = process.hrtime.bigint();
    raw.transaction(() => {
      for (const table of tables) {
        if (table.rows.length === 0) continue;
        const insert = raw.prepare(
          `insert or replace into "${table.name}" (${table.columns.join(', ')}) values (${table.columns.map(() => '?').join(', ')})`,
        );
        for (const row of table.rows) insert.run(row);
        rawRows += table.rows.length;
      }
    })();
    const rawSeconds = seconds(start);
    raw.close();
    ctx.log(`raw better-sqlite3 insert of ${rawRows} rows: ${rawSeconds.toFixed(1)} s`);
    rmSync(newcomer, { recursive: true, force: true });
    await app.close();

    const size = patientCount;
    return [
      throughputFigure({
        figure: 'snapshot.load',
        unit: 'rows/s',
        value: whole.rows / whole.loadSeconds,
        baseline: 'better-sqlite3 insert of the same rows, one transaction, unencrypted file',
        baselineValue: rawRows / rawSeconds,
        minRatio: 0.5,
        size: whole.rows,
      }),
      latencyFigure({
        figure: 'first_sync.whole',
        valueMs: whole.total * 1000,
        maxMs: 60_000,
        size: whole.rows,
        baseline: 'none: enrollment to a usable sign-in, whole hospital, encrypted replica',
      }),
      latencyFigure({
        figure: 'first_sync.scoped',
        valueMs: scoped.total * 1000,
        maxMs: 60_000,
        size: scoped.rows,
        baseline: 'none: enrollment to a usable sign-in, scoped (30 days), encrypted replica',
      }),
      besideWhole('first_sync.scoped.rows', 'rows', scoped.rows, whole.rows, size),
      besideWhole('first_sync.scoped.bytes', 'bytes', scoped.bytes, whole.bytes, size),
      besideWhole('first_sync.scoped.replica_size', 'bytes', scoped.size, whole.size, size),
    ];
  } finally {
    await db.$client.end();
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The hospital: patients with realistic names and ages; three years of stays (about 2 % of
 * patients admitted now, the rest discharged on a day spread over three years, some within the
 * last 30 days); vitals spread over the stays, within and outside normal ranges.
 */
async function generateHospital(pool: pg.Pool, patients: number, vitals: number): Promise<void> {
  const hospital = DEMO_HOSPITAL_ID;
  await pool.query(
    `insert into patients (id, hospital_id, mrn, first_name, last_name, date_of_birth, sex, phone, address, allergies)
     select gen_random_uuid(), $1::uuid, 'BENCH-' || g,
            (array['Ana','Ben','Chloe','David','Elif','Femi','Grace','Hugo','Ines','Jonas','Kofi','Lena'])[1 + g % 12],
            (array['Smith','Okafor','Nguyen','Garcia','Müller','Kowalski','Haddad','Silva','Tanaka','Brown'])[1 + (g / 12) % 10],
            date '1930-01-01' + (g * 37 % 30000), (array['female','male'])[1 + g % 2],
            '+44 20 7946 ' || lpad((g % 10000)::text, 4, '0'), g || ' Hospital Road',
            case when g % 7 = 0 then '[{"substance":"penicillin","reaction":"rash","severity":"moderate"}]'::jsonb else '[]'::jsonb end
       from generate_series(1, $2::integer) g`,
    [hospital, patients],
  );
  await pool.query(
    `insert into visits (id, hospital_id, patient_id, ward_id, status, admitted_at, discharged_at, admission_reason)
     select gen_random_uuid(), p.hospital_id, p.id, w.id,
            case when n % 50 = 0 then 'admitted' else 'discharged' end,
            now() - ((n * 7919) % 1095 + 4) * interval '1 day',
            case when n % 50 = 0 then null else now() - ((n * 7919) % 1095) * interval '1 day' end,
            'Admitted for observation'
       from (select id, hospital_id, row_number() over (order by id) as n from patients
              where hospital_id = $1::uuid and mrn like 'BENCH-%') p
       join lateral (select id from wards where hospital_id = $1::uuid order by id offset (p.n % 2) limit 1) w on true`,
    [hospital],
  );
  // Vitals in chunks, so no single statement holds millions of feed rows in memory.
  const stays = Number(
    (
      await pool.query<{ n: string }>(
        `select count(*) as n from visits where hospital_id = $1::uuid and admission_reason = 'Admitted for observation'`,
        [hospital],
      )
    ).rows[0]?.n,
  );
  const chunk = 250_000;
  for (let done = 0; done < vitals; done += chunk) {
    await pool.query(
      `insert into vitals (id, hospital_id, visit_id, patient_id, recorded_at, temperature_c, heart_rate,
                           systolic, diastolic, respiratory_rate, spo2, abnormal, recorded_by, notes)
       select gen_random_uuid(), v.hospital_id, v.id, v.patient_id, v.admitted_at + (g % 72) * interval '1 hour',
              36.0 + (g % 25) / 10.0, 55 + (g * 7) % 60, 100 + (g * 3) % 60, 60 + (g * 5) % 35,
              10 + g % 14, 90 + g % 11,
              case when g % 9 = 0 then '[{"sign":"heartRate","direction":"high"}]'::jsonb else '[]'::jsonb end,
              (select id from users where email = 'nurse@hass.example'), null
         from generate_series($2::integer + 1, $2::integer + $3::integer) g
         join (select id, hospital_id, patient_id, admitted_at, row_number() over (order by id) - 1 as n
                 from visits where hospital_id = $1::uuid and admission_reason = 'Admitted for observation') v
           on v.n = g % $4::integer`,
      [hospital, done, Math.min(chunk, vitals - done), stays],
    );
  }
  await pool.query('analyze');
}

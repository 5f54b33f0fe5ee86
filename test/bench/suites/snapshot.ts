/**
 * Snapshot first sync (docs/SYNC.md), at the hospital: 100,000 patients, three years of
 * stays and 5,000,000 vitals (`--quick`: a tenth). A new workstation enrolls and loads it:
 * - snapshot.load: rows/s of the whole-hospital snapshot into an encrypted replica, beside a
 *   better-sqlite3 insert of the same rows into a fresh unencrypted file of the same schema, one
 *   transaction (goal ≥ 0.5×);
 * - first_sync.whole / first_sync.scoped: enrollment to a usable sign-in (first sync complete),
 *   whole hospital and scoped (30 days), encrypted (goal ≤ 60 s);
 * - rows and compressed bytes transferred and replica size, scoped beside whole;
 * - scoped.ward_board / scoped.chart_open: p50 and p99 on the scoped replica (goal < 10 ms, as
 *   the workstation-reads suite), and their p99 beside the same reads on the whole-hospital
 *   replica, interleaved in the same run (scoped_vs_whole.*: no worse, ≤ 1.25× for noise).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { migrateCentralDatabase } from '../../../db/central/migrate';
import { seedCentralDatabase } from '../../../db/central/seed';
import { openLocalDatabase, type LocalDb } from '../../../db/local/open';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { systemClock } from '../../../main/clock';
import { openChart } from '../../../main/services/chart';
import { getWardBoard } from '../../../main/services/ward-board';
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
import {
  latencyFigure,
  latencyFigures,
  overheadFigure,
  percentile,
  sampleInTurn,
  throughputFigure,
  type BenchContext,
  type BenchFigure,
} from '../figures';
import { seededRandom } from '../../support/seeded-random';
import { demoNurse } from './workstation-reads';

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
  let newcomer: string | null = null;
  try {
    await migrateCentralDatabase(db);
    await seedCentralDatabase(db, { demo: true });
    const start = process.hrtime.bigint();
    await generateHospital(db.$client, patientCount, vitalsCount);
    ctx.log(
      `generated ${patientCount} patients, ${vitalsCount} vitals in ${seconds(start).toFixed(0)} s`,
    );
    const app = await buildServer({ pool: db.$client, logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    newcomer = mkdtempSync(join(tmpdir(), 'wardline-bench-snapshot-ws-'));
    const replicas = newcomer;

    /** Enrollment to a usable sign-in: enroll, snapshot, pull (the first sync's phases). */
    const firstSync = async (name: string, dischargedWithinDays: number | null) => {
      const file = join(replicas, `${name}.db`);
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
    // Scoped first: its figures are the goal's, and are in the log even if the long whole-hospital
    // load fails.
    const scoped = await firstSync('scoped', 30);
    const whole = await firstSync('whole', null);

    // Ward board and chart open on the scoped replica beside the whole one, in turn.
    ctx.log('ward board and chart open, scoped and whole replica side by side…');
    const reads = measureReads([scoped.replica, whole.replica], new Date());
    scoped.replica.$client.close();

    // Baseline: the same rows, raw into a fresh unencrypted file of the same schema, in one
    // transaction; read from the whole replica in slices between the timed inserts.
    const rawFile = join(replicas, 'raw.db');
    openLocalDatabase(rawFile, { key: null }).$client.close();
    const raw = new Database(rawFile);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.pragma('foreign_keys = OFF');
    let rawRows = 0;
    let rawNs = 0n;
    const timed = (run: () => void) => {
      const began = process.hrtime.bigint();
      run();
      rawNs += process.hrtime.bigint() - began;
    };
    timed(() => raw.exec('begin'));
    for (const table of SYNCED_TABLES) {
      const columns = whole.replica.$client
        .prepare(`select * from "${table.name}" limit 1`)
        .columns()
        .map((column) => column.name);
      const insert = raw.prepare(
        `insert or replace into "${table.name}" (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
      );
      const slice = whole.replica.$client
        .prepare(`select rowid, * from "${table.name}" where rowid > ? order by rowid limit 100000`)
        .raw();
      let after = 0;
      for (;;) {
        const rows = slice.all(after) as unknown[][];
        if (rows.length === 0) break;
        after = Number(rows.at(-1)?.[0]);
        const values = rows.map((row) => row.slice(1));
        timed(() => {
          for (const row of values) insert.run(row);
        });
        rawRows += values.length;
      }
    }
    timed(() => raw.exec('commit'));
    const rawSeconds = Number(rawNs) / 1e9;
    whole.replica.$client.close();
    raw.close();
    ctx.log(`raw better-sqlite3 insert of ${rawRows} rows: ${rawSeconds.toFixed(1)} s`);
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
      ...latencyFigures('scoped.ward_board', reads.scoped.board, 10, scoped.rows),
      ...latencyFigures('scoped.chart_open', reads.scoped.charts, 10, scoped.rows),
      overheadFigure({
        figure: 'scoped_vs_whole.ward_board.p99',
        valueMs: percentile(reads.scoped.board, 99),
        baselineMs: percentile(reads.whole.board, 99),
        baseline: 'the same ward boards on the whole-hospital replica, same run',
        maxRatio: 1.25,
        size: scoped.rows,
      }),
      overheadFigure({
        figure: 'scoped_vs_whole.chart_open.p99',
        valueMs: percentile(reads.scoped.charts, 99),
        baselineMs: percentile(reads.whole.charts, 99),
        baseline: 'the same charts on the whole-hospital replica, same run',
        maxRatio: 1.25,
        size: scoped.rows,
      }),
    ];
  } finally {
    if (newcomer) rmSync(newcomer, { recursive: true, force: true });
    await db.$client.end();
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Ward board and chart open on two replicas in turn (the scoped one and the whole-hospital one),
 * as the workstation-reads suite measures them: 1,000 boards of a random ward, 1,000 charts, half
 * of patients admitted now, half of any patient (most of whose stays a scoped replica does not
 * hold: the chart opens with what it has, as offline).
 */
function measureReads(dbs: readonly [LocalDb, LocalDb], now: Date) {
  const random = seededRandom(7);
  const reader = dbs[1].$client;
  const wardIds = reader.prepare('select id from wards').pluck().all() as string[];
  const admitted = reader
    .prepare(`select patient_id from visits where status = 'admitted'`)
    .pluck()
    .all() as string[];
  const everyone = reader.prepare('select id from patients').pluck().all() as string[];
  const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)] ?? '';
  const wards = Array.from({ length: 1000 }, () => pick(wardIds));
  const board = sampleInTurn(dbs, wards.length, (db, i) =>
    getWardBoard(db, { wardId: wards[i] ?? '', now }),
  );
  const actor = demoNurse();
  const patientIds = Array.from({ length: 1000 }, (_, i) =>
    i % 2 === 0 ? pick(admitted) : pick(everyone),
  );
  const charts = sampleInTurn(dbs, patientIds.length, (db, i) =>
    openChart({ db, clock: systemClock, actor }, { patientId: patientIds[i] ?? '' }),
  );
  return {
    scoped: { board: board[0] ?? [], charts: charts[0] ?? [] },
    whole: { board: board[1] ?? [], charts: charts[1] ?? [] },
  };
}

/**
 * The hospital: patients with realistic names and ages; three years of stays (about 2 % of
 * patients admitted now, the rest discharged on a day spread over three years, some within the
 * last 30 days) across forty wards; vitals over each stay's first four days, within and outside
 * normal ranges.
 *
 * Written inside PostgreSQL in one transaction (generate_series, not the write path) with
 * triggers off (`session_replication_role = replica`: no feed entries, no per-row foreign key
 * checks) and the vitals' secondary indexes built after the rows, so 5,000,000 vitals take
 * minutes, not an hour. No feed entries is a hospital whose old entries feed retention already
 * pruned: the snapshot reads the tables, and the pull after it starts at the snapshot's cursor.
 */
export async function generateHospital(
  pool: pg.Pool,
  patients: number,
  vitals: number,
): Promise<void> {
  const hospital = DEMO_HOSPITAL_ID;
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(`set local session_replication_role = replica`);
    await client.query(`set local maintenance_work_mem = '512MB'`);
    await client.query(`set local work_mem = '256MB'`);
    // Ids as the workstations make them (UUIDv7, time-ordered), so that, as in a hospital's own
    // database, rows are stored in about the order of their ids and a stay's vitals side by side.
    await client.query(
      `create function pg_temp.uuid7(at timestamptz) returns uuid language sql volatile as $fn$
         select (lpad(to_hex((extract(epoch from at) * 1000)::bigint), 12, '0') || '7'
                 || substr(h, 1, 3) || substr('89ab', 1 + (random() * 3)::integer, 1)
                 || substr(h, 4, 15))::uuid
           from (select md5(random()::text) as h) r
       $fn$`,
    );
    await client.query(
      `insert into patients (id, hospital_id, mrn, first_name, last_name, date_of_birth, sex, phone, address, allergies)
       select pg_temp.uuid7(now() - interval '1100 days' + g * interval '1 second'), $1::uuid, 'BENCH-' || g,
              (array['Ana','Ben','Chloe','David','Elif','Femi','Grace','Hugo','Ines','Jonas','Kofi','Lena'])[1 + g % 12],
              (array['Smith','Okafor','Nguyen','Garcia','Müller','Kowalski','Haddad','Silva','Tanaka','Brown'])[1 + (g / 12) % 10],
              date '1930-01-01' + (g * 37 % 30000), (array['female','male'])[1 + g % 2],
              '+44 20 7946 ' || lpad((g % 10000)::text, 4, '0'), g || ' Hospital Road',
              case when g % 7 = 0 then '[{"substance":"penicillin","reaction":"rash","severity":"moderate"}]'::jsonb else '[]'::jsonb end
         from generate_series(1, $2::integer) g`,
      [hospital, patients],
    );
    // Forty wards, as the workstation-reads suite has, so a ward board shows about fifty stays
    // (every fiftieth patient is admitted: wards go by fifty patients, not one by one).
    await client.query(
      `insert into wards (id, hospital_id, code, name, floor)
       select gen_random_uuid(), $1::uuid, 'BW' || g, 'Bench ward ' || g, 1 + g % 5
         from generate_series(1, 40 - (select count(*) from wards where hospital_id = $1::uuid)::integer) g`,
      [hospital],
    );
    await client.query(
      `insert into visits (id, hospital_id, patient_id, ward_id, status, admitted_at, discharged_at, admission_reason)
       select pg_temp.uuid7(s.admitted_at), s.hospital_id, s.id, s.ward_id, s.status, s.admitted_at,
              s.discharged_at, 'Admitted for observation'
         from (select p.id, p.hospital_id, w.id as ward_id,
                      case when n % 50 = 0 then 'admitted' else 'discharged' end as status,
                      now() - ((n * 7919) % 1095 + 4) * interval '1 day' as admitted_at,
                      case when n % 50 = 0 then null else now() - ((n * 7919) % 1095) * interval '1 day' end as discharged_at
                 from (select id, hospital_id, row_number() over (order by id) as n from patients
                        where hospital_id = $1::uuid and mrn like 'BENCH-%') p
                 join lateral (select id from wards where hospital_id = $1::uuid order by id offset ((p.n / 50) % 40) limit 1) w on true) s
        order by s.admitted_at`,
      [hospital],
    );
    const indexes = await client.query<{ name: string; definition: string }>(
      `select indexname as name, indexdef as definition from pg_indexes
        where tablename = 'vitals' and indexname not in
              (select conname from pg_constraint where conrelid = 'vitals'::regclass)`,
    );
    for (const index of indexes.rows) await client.query(`drop index "${index.name}"`);
    // Each stay's vitals over its first four days, stay after stay in the order they came in.
    await client.query(
      `with stays as (
         select id, hospital_id, patient_id, admitted_at, row_number() over (order by admitted_at, id) - 1 as n,
                count(*) over () as stays
           from visits where hospital_id = $1::uuid and admission_reason = 'Admitted for observation')
       insert into vitals (id, hospital_id, visit_id, patient_id, recorded_at, temperature_c, heart_rate,
                           systolic, diastolic, respiratory_rate, spo2, abnormal, recorded_by, notes)
       select pg_temp.uuid7(r.at), r.hospital_id, r.visit_id, r.patient_id, r.at,
              36.0 + (g % 25) / 10.0, 55 + (g * 7) % 60, 100 + (g * 3) % 60, 60 + (g * 5) % 35,
              10 + g % 14, 90 + g % 11,
              case when g % 9 = 0 then '[{"sign":"heartRate","direction":"high"}]'::jsonb else '[]'::jsonb end,
              (select id from users where email = 'nurse@hass.example'), null
         from (select v.id as visit_id, v.hospital_id, v.patient_id, v.n * 1000 + k as g,
                      v.admitted_at + k * (interval '96 hours' / ($2::integer / v.stays + 1)) as at
                 from (select * from stays order by n) v
                 cross join lateral generate_series(0, $2::integer / v.stays - 1
                                                       + case when v.n < $2::integer % v.stays then 1 else 0 end) k) r`,
      [hospital, vitals],
    );
    for (const index of indexes.rows) await client.query(index.definition);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  await pool.query('vacuum analyze');
}

/**
 * Feed retention (issue 14): the change feed's size per 1,000,000 writes before and after
 * compaction, beside the size of the synced rows those writes leave (the state a feed must at
 * least carry), and how fast compaction goes through the feed.
 *
 * The writes are a ward's mix, made with SQL through the real feed triggers (the feed is what is
 * measured, not push): per ten writes, six vitals charted (append-only: never superseded), one
 * patient registered and three edits of registered patients (phone or address; each patient is
 * edited about three times). Compaction then runs as `compact-feed` does, 40 days later on its
 * injected clock, with the default 30-day horizon. Sizes are PostgreSQL's own
 * (`pg_total_relation_size`: table, TOAST and indexes) after a VACUUM FULL of each table, so
 * that both figures count live data alone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateCentralDatabase } from '../../../db/central/migrate';
import { seedCentralDatabase } from '../../../db/central/seed';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { connectCentralDatabase } from '../../../server/db/connect';
import { startEmbeddedPostgres } from '../../../server/db/embedded-postgres';
import { findFreePort } from '../../../server/db/free-port';
import { compactFeed } from '../../../server/sync/feed-compaction';
import { DEFAULT_FEED_HORIZON_DAYS } from '../../../server/sync/feed-retention';
import { SYNCED_TABLES } from '../../../shared/synced-tables';
import type { BenchContext, BenchFigure } from '../figures';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Writes per SQL statement: large enough to be quick, small enough to keep memory flat. */
const CHUNK = 50_000;

export default async function feedRetention(ctx: BenchContext): Promise<BenchFigure[]> {
  const writes = ctx.size(1_000_000);
  const dataDir = await mkdtemp(join(tmpdir(), 'wardline-bench-feed-'));
  const cluster = await startEmbeddedPostgres({ dataDir, port: await findFreePort() });
  const db = connectCentralDatabase(cluster.url, { max: 4 });
  const pool = db.$client;
  try {
    await migrateCentralDatabase(db);
    await seedCentralDatabase(db, { demo: true });
    const seeded = await feedEntries();
    const registrations = Math.round(writes / 10);
    const edits = Math.round((writes * 3) / 10);
    const charted = writes - registrations - edits;

    const started = performance.now();
    for (let from = 1; from <= registrations; from += CHUNK) {
      const to = Math.min(registrations, from + CHUNK - 1);
      await pool.query(
        `insert into patients (id, hospital_id, mrn, first_name, last_name, date_of_birth, sex,
                               phone, address, allergies, updated_by)
         select gen_random_uuid(), $1, 'BENCH-' || lpad(g::text, 8, '0'),
                (array['Margaret','Tomasz','Aisha','George','Mei','Daniel','Fatima','Owen'])[1 + g % 8],
                (array['Hughes','Kowalski','Bello','Whitfield','Tanaka','Osei','Haddad','Price'])[1 + (g / 8) % 8],
                date '1930-01-01' + (g * 37) % 32000, case when g % 2 = 0 then 'female' else 'male' end,
                '+44 7700 ' || lpad((g % 1000000)::text, 6, '0'), (1 + g % 200) || ' Harbour Road, Northport',
                case when g % 5 = 0 then '[{"substance":"Penicillin","severity":"moderate"}]'::jsonb else '[]'::jsonb end,
                (select id from users where email = 'reception@hass.example')
           from generate_series($2::integer, $3::integer) g`,
        [DEMO_HOSPITAL_ID, from, to],
      );
    }
    for (let from = 1; from <= charted; from += CHUNK) {
      const to = Math.min(charted, from + CHUNK - 1);
      await pool.query(
        `insert into vitals (id, hospital_id, visit_id, patient_id, recorded_at, temperature_c, heart_rate,
                             systolic, diastolic, respiratory_rate, spo2, abnormal, recorded_by, notes)
         select gen_random_uuid(), v.hospital_id, v.id, v.patient_id, now() - (g * interval '1 minute'),
                36.0 + (g % 25) / 10.0, 55 + (g * 7) % 60, 100 + (g * 3) % 60, 60 + (g * 5) % 35,
                10 + g % 14, 90 + g % 11,
                case when g % 9 = 0 then '[{"sign":"heartRate","direction":"high"}]'::jsonb else '[]'::jsonb end,
                (select id from users where email = 'nurse@hass.example'),
                case when g % 4 = 0 then 'Settled overnight, eating and drinking.' end
           from generate_series($1::integer, $2::integer) g
           join lateral (select * from visits where status = 'admitted' order by id offset (g % 6) limit 1) v on true`,
        [from, to],
      );
    }
    // Each round edits every registered patient once (in chunks), until the edits are spent.
    for (let done = 0, round = 1; done < edits; round += 1) {
      for (let from = 1; from <= registrations && done < edits; from += CHUNK) {
        const to = Math.min(registrations, from + CHUNK - 1, from + (edits - done) - 1);
        const edited = await pool.query(
          `update patients
              set ${round % 2 === 0 ? `address = (${round} + g) || ' Quay Street, Northport'` : `phone = '+44 7700 9' || lpad(((g * ${round}) % 100000)::text, 5, '0')`},
                  version = version + 1, updated_at = now()
             from generate_series($1::integer, $2::integer) g
            where patients.mrn = 'BENCH-' || lpad(g::text, 8, '0')`,
          [from, to],
        );
        done += edited.rowCount ?? 0;
      }
    }
    const writeSeconds = (performance.now() - started) / 1000;
    const written = (await feedEntries()) - seeded;
    ctx.log(`${written} writes (feed entries) in ${writeSeconds.toFixed(1)} s`);

    const before = await sizes();
    const compactStart = performance.now();
    const compacted = await compactFeed(pool, {
      horizonDays: DEFAULT_FEED_HORIZON_DAYS,
      now: new Date(Date.now() + 40 * DAY_MS),
    });
    const compactSeconds = (performance.now() - compactStart) / 1000;
    const after = await sizes();
    ctx.log(
      `feed: ${before.entries} entries, ${mb(before.feedBytes)} before; ${after.entries} entries, ${mb(after.feedBytes)} after; ` +
        `synced rows ${mb(after.rowBytes)}; compaction removed ${compacted.removed} of ${compacted.scanned} in ${compactSeconds.toFixed(1)} s (${compacted.batches} batches)`,
    );

    const perMillion = (bytes: number) => Math.round((bytes / written) * 1_000_000);
    const rowsPerMillion = perMillion(after.rowBytes);
    const beforeRatio = before.feedBytes / after.rowBytes;
    const afterRatio = after.feedBytes / after.rowBytes;
    const baseline = 'the synced rows these writes leave (patients + vitals, same measure)';
    return [
      {
        figure: 'feed.size_per_1M_writes.before_compaction',
        value: perMillion(before.feedBytes),
        unit: 'bytes',
        baseline,
        baselineValue: rowsPerMillion,
        ratio: round(beforeRatio),
        goal: 'none: what compaction starts from (every version of every row)',
        met: true,
        size: written,
      },
      {
        figure: 'feed.size_per_1M_writes.after_compaction',
        value: perMillion(after.feedBytes),
        unit: 'bytes',
        baseline,
        baselineValue: rowsPerMillion,
        ratio: round(afterRatio),
        goal: '< before (each entry is the row as wire JSON plus five indexes: ~3× the row)',
        met: after.feedBytes < before.feedBytes,
        size: written,
      },
      {
        figure: 'feed.entries_per_row.after_compaction',
        value: round(after.entries / after.rows),
        unit: 'entries/row',
        baseline: 'none: compared with its goal directly (one entry per row past the horizon)',
        baselineValue: null,
        ratio: null,
        goal: '<= 1',
        met: after.entries <= after.rows,
        size: after.rows,
      },
      {
        figure: 'feed.compaction.rate',
        value: Math.round(compacted.scanned / compactSeconds),
        unit: 'entries/s',
        baseline: 'none: no other way to prune the feed exists to compare with',
        baselineValue: null,
        ratio: null,
        goal: '>= 2000 (1M entries in under ~8 minutes)',
        met: compacted.scanned / compactSeconds >= 2000,
        size: compacted.scanned,
      },
    ];
  } finally {
    await pool.end();
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  }

  async function feedEntries(): Promise<number> {
    const { rows } = await pool.query<{ n: string }>('select count(*) as n from change_feed');
    return Number(rows[0]?.n ?? 0);
  }

  async function sizes() {
    for (const table of ['change_feed', 'patients', 'vitals'])
      await pool.query(`vacuum full ${table}`);
    const { rows } = await pool.query<{
      entries: string;
      feed: string;
      synced: string;
      rows: string;
    }>(
      `select (select count(*) from change_feed) as entries,
              (select sum(n) from (${SYNCED_TABLES.map(({ name }) => `select count(*) as n from "${name}"`).join(' union all ')}) counted) as rows,
              pg_total_relation_size('change_feed') as feed,
              pg_total_relation_size('patients') + pg_total_relation_size('vitals') as synced`,
    );
    const row = rows[0];
    return {
      entries: Number(row?.entries ?? 0),
      feedBytes: Number(row?.feed ?? 0),
      rowBytes: Number(row?.synced ?? 0),
      rows: Number(row?.rows ?? 0),
    };
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const round = (value: number) => Math.round(value * 1000) / 1000;

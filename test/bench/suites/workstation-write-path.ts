/**
 * Write path throughput: vitals recorded per second through the real service, each its own
 * transaction with row + outbox mutation + audit event, on the encrypted replica, beside
 * - raw better-sqlite3 single-row inserts (each its own transaction) on an unencrypted file with
 *   the same settings (goal ≥ 0.30), and
 * - the same write path on an unencrypted replica (encryption overhead: goal ≥ 0.8, i.e. at
 *   most 1.25× the time), all in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalDatabase } from '../../../db/local/open';
import { seedLocalDatabase } from '../../../db/local/seed';
import { DEMO_HOSPITAL_ID, demoUserId } from '../../../db/seed/demo-data';
import { newSigningKey } from '../../../main/auth/signing-keys';
import { systemClock } from '../../../main/clock';
import { newReplicaKey } from '../../../main/replica-key';
import { recordVitals } from '../../../main/services/vitals';
import { stableId } from '../../../shared/reference-data';
import { sampleInTurn, throughputFigure, type BenchContext, type BenchFigure } from '../figures';

const visitId = stableId('visit', 'NGH/1');

/** A replica of the demo hospital and a nurse charting on it through the write path. */
function chartingReplica(file: string, key: Buffer | null) {
  const db = openLocalDatabase(file, { key });
  seedLocalDatabase(db, { demo: true });
  const context = {
    db,
    clock: systemClock,
    // The nurse's key as her session holds it: every write below is signed, as on a ward.
    actor: {
      userId: demoUserId('nurse@hass.example'),
      hospitalId: DEMO_HOSPITAL_ID,
      signer: newSigningKey(demoUserId('nurse@hass.example')).signer,
    },
  };
  return {
    db,
    chart: (i: number) =>
      recordVitals(context, {
        visitId,
        heartRate: 60 + (i % 40),
        temperatureC: 36.4 + (i % 10) / 10,
        spo2: 94 + (i % 6),
      }),
  };
}

/** Raw single-row inserts into a table of an unencrypted replica. */
function rawInserts(file: string) {
  const db = openLocalDatabase(file, { key: null });
  db.$client.exec(
    'create table bench_raw (id integer primary key, visit_id text not null, heart_rate integer, recorded_at text not null)',
  );
  const raw = db.$client.prepare(
    'insert into bench_raw (visit_id, heart_rate, recorded_at) values (?, ?, ?)',
  );
  return { db, insert: (i: number) => raw.run(visitId, 60 + (i % 40), new Date().toISOString()) };
}

const perSecond = (samples: readonly number[]) =>
  samples.length / (samples.reduce((sum, ms) => sum + ms, 0) / 1000);

export default function benchWritePath(ctx: BenchContext): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-bench-write-'));
  try {
    const n = ctx.size(4000);
    // The three interleaved, so the load of a shared machine falls on each alike.
    const raw = rawInserts(join(dir, 'raw.db'));
    const plain = chartingReplica(join(dir, 'plain.db'), null);
    const sealed = chartingReplica(join(dir, 'replica.db'), newReplicaKey());
    const writes = [raw.insert, plain.chart, sealed.chart];
    const [rawSamples = [], plainSamples = [], sealedSamples = []] = sampleInTurn(
      writes,
      n,
      (write, i) => write(i),
    );
    for (const { db } of [raw, plain, sealed]) db.$client.close();
    const rawPerSecond = perSecond(rawSamples);
    const plainPerSecond = perSecond(plainSamples);
    const sealedPerSecond = perSecond(sealedSamples);
    ctx.log(
      `write path ${sealedPerSecond.toFixed(0)} vitals/s encrypted, ${plainPerSecond.toFixed(0)} unencrypted; raw insert ${rawPerSecond.toFixed(0)} rows/s (synchronous=FULL, WAL)`,
    );
    return Promise.resolve([
      throughputFigure({
        figure: 'workstation.write_path',
        unit: 'vitals/s',
        value: sealedPerSecond,
        baseline:
          'better-sqlite3 single-row insert, own transaction, unencrypted file, same pragmas',
        baselineValue: rawPerSecond,
        minRatio: 0.3,
        size: n,
      }),
      throughputFigure({
        figure: 'encryption.write_path',
        unit: 'vitals/s',
        value: sealedPerSecond,
        baseline: 'the same write path on an unencrypted replica',
        baselineValue: plainPerSecond,
        minRatio: 0.8,
        size: n,
      }),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

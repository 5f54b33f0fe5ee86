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
import { performance } from 'node:perf_hooks';
import { openLocalDatabase } from '../../../db/local/open';
import { seedLocalDatabase } from '../../../db/local/seed';
import { DEMO_HOSPITAL_ID, demoUserId } from '../../../db/seed/demo-data';
import { systemClock } from '../../../main/clock';
import { newReplicaKey } from '../../../main/replica-key';
import { recordVitals } from '../../../main/services/vitals';
import { stableId } from '../../../shared/reference-data';
import { throughputFigure, type BenchContext, type BenchFigure } from '../figures';

const visitId = stableId('visit', 'NGH/1');

/** Raw single-row inserts per second into a table of `file`'s replica. */
function rawInsertsPerSecond(file: string, n: number): number {
  const db = openLocalDatabase(file, { key: null });
  const sqlite = db.$client;
  sqlite.exec(
    'create table bench_raw (id integer primary key, visit_id text not null, heart_rate integer, recorded_at text not null)',
  );
  const raw = sqlite.prepare(
    'insert into bench_raw (visit_id, heart_rate, recorded_at) values (?, ?, ?)',
  );
  const start = performance.now();
  for (let i = 0; i < n; i += 1) raw.run(visitId, 60 + (i % 40), new Date().toISOString());
  const perSecond = n / ((performance.now() - start) / 1000);
  sqlite.close();
  return perSecond;
}

/** Vitals per second through the write path, on a replica opened with `key` (null: plaintext). */
function writePathPerSecond(file: string, key: Buffer | null, n: number): number {
  const db = openLocalDatabase(file, { key });
  seedLocalDatabase(db, { demo: true });
  const context = {
    db,
    clock: systemClock,
    actor: { userId: demoUserId('nurse@hass.example'), hospitalId: DEMO_HOSPITAL_ID },
  };
  const start = performance.now();
  for (let i = 0; i < n; i += 1) {
    recordVitals(context, {
      visitId,
      heartRate: 60 + (i % 40),
      temperatureC: 36.4 + (i % 10) / 10,
      spo2: 94 + (i % 6),
    });
  }
  const perSecond = n / ((performance.now() - start) / 1000);
  db.$client.close();
  return perSecond;
}

export default function benchWritePath(ctx: BenchContext): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-bench-write-'));
  try {
    const n = ctx.size(4000);
    const rawPerSecond = rawInsertsPerSecond(join(dir, 'raw.db'), n);
    const plainPerSecond = writePathPerSecond(join(dir, 'plain.db'), null, n);
    const perSecond = writePathPerSecond(join(dir, 'replica.db'), newReplicaKey(), n);
    ctx.log(
      `write path ${perSecond.toFixed(0)} vitals/s encrypted, ${plainPerSecond.toFixed(0)} unencrypted; raw insert ${rawPerSecond.toFixed(0)} rows/s (synchronous=FULL, WAL)`,
    );
    return Promise.resolve([
      throughputFigure({
        figure: 'workstation.write_path',
        unit: 'vitals/s',
        value: perSecond,
        baseline:
          'better-sqlite3 single-row insert, own transaction, unencrypted file, same pragmas',
        baselineValue: rawPerSecond,
        minRatio: 0.3,
        size: n,
      }),
      throughputFigure({
        figure: 'encryption.write_path',
        unit: 'vitals/s',
        value: perSecond,
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

/**
 * Write path throughput: vitals recorded per second through the real service, each its own
 * transaction with row + outbox mutation + audit event, beside raw better-sqlite3 single-row
 * inserts (each its own transaction) on the same file and settings, in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openLocalDatabase } from '../../../db/local/open';
import { seedLocalDatabase } from '../../../db/local/seed';
import { DEMO_HOSPITAL_ID, demoUserId } from '../../../db/seed/demo-data';
import { systemClock } from '../../../main/clock';
import { recordVitals } from '../../../main/services/vitals';
import { stableId } from '../../../shared/reference-data';
import { throughputFigure, type BenchContext, type BenchFigure } from '../figures';

export default function benchWritePath(ctx: BenchContext): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-bench-write-'));
  try {
    const db = openLocalDatabase(join(dir, 'replica.db'));
    seedLocalDatabase(db, { demo: true });
    const n = ctx.size(4000);
    const sqlite = db.$client;
    sqlite.exec(
      'create table bench_raw (id integer primary key, visit_id text not null, heart_rate integer, recorded_at text not null)',
    );
    const raw = sqlite.prepare(
      'insert into bench_raw (visit_id, heart_rate, recorded_at) values (?, ?, ?)',
    );
    const visitId = stableId('visit', 'NGH/1');

    const rawStart = performance.now();
    for (let i = 0; i < n; i += 1) raw.run(visitId, 60 + (i % 40), new Date().toISOString());
    const rawPerSecond = n / ((performance.now() - rawStart) / 1000);

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
    ctx.log(
      `write path ${perSecond.toFixed(0)} vitals/s, raw insert ${rawPerSecond.toFixed(0)} rows/s (synchronous=FULL, WAL)`,
    );
    sqlite.close();
    return Promise.resolve([
      throughputFigure({
        figure: 'workstation.write_path',
        unit: 'vitals/s',
        value: perSecond,
        baseline: 'better-sqlite3 single-row insert, own transaction, same file and pragmas',
        baselineValue: rawPerSecond,
        minRatio: 0.3,
        size: n,
      }),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

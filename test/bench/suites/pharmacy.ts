/**
 * The pharmacist's list on the generated hospital (100,000 patients at full size; 1,000 stays
 * with three active prescriptions each and every past dose charted, 99,000 discharged stays with a
 * completed course): the whole hospital, one ward, and a drug or surname search. p50 and p99,
 * compared with their goals directly. Vitals play no part in the list, so few are generated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openReplicaWithKeyFile } from '../../../main/replica';
import { seedLocalDatabase } from '../../../db/local/seed';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { listActivePrescriptions } from '../../../main/services/pharmacy';
import { seededRandom } from '../../support/seeded-random';
import { latencyFigures, sampleLatencies, type BenchContext, type BenchFigure } from '../figures';
import { generateHospital } from './workstation-reads';

const SEARCHES = ['amox', 'paracetamol', 'morph', 'smith', 'patel', 'ngh-1000', 'okafor', 'zz'];

export default function benchPharmacy(ctx: BenchContext): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-bench-pharmacy-'));
  try {
    const db = openReplicaWithKeyFile(join(dir, 'replica.db'));
    const now = new Date('2026-11-23T08:00:00.000Z');
    seedLocalDatabase(db, { demo: true, now });
    const sizes = { patients: ctx.size(100_000), vitals: ctx.size(100_000) };
    const loadStart = performance.now();
    const hospital = generateHospital(db, sizes, now);
    ctx.log(
      `generated ${String(sizes.patients)} patients in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`,
    );
    const random = seededRandom(11);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const hospitalId = DEMO_HOSPITAL_ID;
    const active = listActivePrescriptions(db, { hospitalId }).prescriptions.length;
    ctx.log(`pharmacy list: ${String(active)} rows shown of the hospital's active prescriptions`);

    ctx.log('pharmacy list, whole hospital…');
    const all = sampleLatencies(200, () => listActivePrescriptions(db, { hospitalId }));
    ctx.log('pharmacy list, one ward…');
    const ward = sampleLatencies(300, () =>
      listActivePrescriptions(db, { hospitalId, wardId: pick(hospital.wardIds) }),
    );
    ctx.log('pharmacy list, text search…');
    const search = sampleLatencies(300, (i) =>
      listActivePrescriptions(db, { hospitalId, search: SEARCHES[i % SEARCHES.length] ?? 'amox' }),
    );
    db.$client.close();
    return Promise.resolve([
      ...latencyFigures('workstation.pharmacy_list', all, 50, sizes.patients),
      ...latencyFigures('workstation.pharmacy_list_ward', ward, 20, sizes.patients),
      ...latencyFigures('workstation.pharmacy_list_search', search, 50, sizes.patients),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

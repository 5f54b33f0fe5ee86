import { SYNCED_TABLES } from '../../shared/synced-tables';
import { referenceRows } from '../../shared/reference-data';
import { buildDemoData, buildSecondHospitalData, type DemoData } from './demo-data';

export interface SeedBatch {
  table: (typeof SYNCED_TABLES)[number]['name'];
  rows: Record<string, unknown>[];
}

/**
 * Catalog rows then demo rows, in the dependency order of SYNCED_TABLES. `secondHospital` adds
 * SGH to the demo: the server holds both hospitals, a replica only its own.
 */
export function seedBatches(options: {
  demo: boolean;
  now: Date;
  secondHospital?: boolean;
}): SeedBatch[] {
  const sets: DemoData[] = [
    referenceRows(),
    ...(options.demo ? [buildDemoData(options.now)] : []),
    ...(options.demo && options.secondHospital ? [buildSecondHospitalData(options.now)] : []),
  ];
  return SYNCED_TABLES.flatMap(({ name }) => {
    const rows = sets.flatMap((set) => set[name] ?? []);
    return rows.length > 0 ? [{ table: name, rows }] : [];
  });
}

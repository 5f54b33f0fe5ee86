import { SYNCED_TABLES } from '../../shared/synced-tables';
import { referenceRows } from '../../shared/reference-data';
import { buildDemoData, type DemoData } from './demo-data';

export interface SeedBatch {
  table: (typeof SYNCED_TABLES)[number]['name'];
  rows: Record<string, unknown>[];
}

/** Catalog rows then demo rows, in the dependency order of SYNCED_TABLES. */
export function seedBatches(options: { demo: boolean; now: Date }): SeedBatch[] {
  const data: DemoData = {
    ...referenceRows(),
    ...(options.demo ? buildDemoData(options.now) : {}),
  };
  return SYNCED_TABLES.flatMap(({ name }) => {
    const rows = data[name];
    return rows && rows.length > 0 ? [{ table: name, rows }] : [];
  });
}

/**
 * Random actions of issue 13 for the convergence property (test/integration/sync/
 * convergence.property.test.ts): stock movements typed on any workstation, and merges of the
 * demo patients made by a manager on any workstation. Kept apart from the property's other
 * actions so that each addition to it stays its own generator, runner and check.
 */
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { expect } from 'vitest';
import { inventory, patients } from '../../db/local/schema';
import { WardError } from '../../main/errors';
import { recordStockMovement } from '../../main/services/inventory';
import { mergePatients } from '../../main/services/patient-merge';
import { registerPatient } from '../../main/services/patients';
import {
  replicaPatientLinks,
  replicaStockOnHand,
  serverPatientLinks,
  serverStockOnHand,
} from './convergence';
import type { TestDatabase } from './postgres';
import type { TestWorkstation } from './workstation';

export type StockAction = {
  kind: 'stock';
  ws: number;
  item: number;
  movement: 'dispensed' | 'received';
  quantity: number;
};
export type MergeAction = { kind: 'merge'; ws: number; survivor: number; merged: number };

export const stockAction: fc.Arbitrary<StockAction> = fc.record({
  kind: fc.constant('stock' as const),
  ws: fc.nat(2),
  item: fc.nat(4),
  movement: fc.constantFrom('dispensed' as const, 'dispensed' as const, 'received' as const),
  quantity: fc.integer({ min: 1, max: 7 }),
});

export const mergeAction: fc.Arbitrary<MergeAction> = fc.record({
  kind: fc.constant('merge' as const),
  ws: fc.nat(2),
  survivor: fc.nat(4),
  merged: fc.nat(4),
});

/**
 * The records a run's merges choose from: three demo patients (merged early on, and edited by the
 * property's other actions) and one person registered afresh on two desks each run.
 */
export function mergeCandidates(
  stations: readonly TestWorkstation[],
  demoPatientIds: readonly string[],
  run: number,
): string[] {
  const person = {
    firstName: `Run${String(run)}`,
    lastName: 'Twice',
    dateOfBirth: '1980-01-01',
    sex: 'unknown' as const,
  };
  const twice = stations
    .slice(0, 2)
    .map((ws) => registerPatient(ws.as('reception@hass.example'), person).id);
  return [...demoPatientIds.slice(0, 3), ...twice];
}

/** What one run typed: every movement a workstation accepted, by item. */
export interface StockLedger {
  movementIds: string[];
  change: Map<string, number>;
}

export const emptyLedger = (): StockLedger => ({ movementIds: [], change: new Map() });

/** A refusal a person would see (not enough on this workstation's count, already merged). */
function refusedOnTheWorkstation(run: () => void): boolean {
  try {
    run();
    return false;
  } catch (error) {
    if (error instanceof WardError) return true;
    throw error;
  }
}

export function runStockAction(
  ws: TestWorkstation,
  action: StockAction,
  ledger: StockLedger,
  note: string,
) {
  const items = ws.db.select().from(inventory).orderBy(inventory.sku).all();
  const item = items[action.item % items.length];
  if (!item) throw new Error('no stock item');
  refusedOnTheWorkstation(() => {
    const { movement } = recordStockMovement(ws.as('pharmacist@hass.example'), {
      itemId: item.id,
      kind: action.movement,
      quantity: action.quantity,
      reason: note,
    });
    ledger.movementIds.push(movement.id);
    ledger.change.set(item.id, (ledger.change.get(item.id) ?? 0) + movement.quantity);
  });
}

/** A manager merges two demo patients; a merge this workstation already knows of is refused. */
export function runMergeAction(
  ws: TestWorkstation,
  action: MergeAction,
  patientIds: readonly string[],
) {
  const survivor = patientIds[action.survivor];
  const merged = patientIds[action.merged];
  if (!survivor || !merged || survivor === merged) return;
  const live = (id: string) => ws.db.select().from(patients).where(eq(patients.id, id)).get();
  if (!live(survivor) || !live(merged)) return;
  refusedOnTheWorkstation(() => {
    mergePatients(ws.as('manager@hass.example'), { survivorId: survivor, mergedId: merged });
  });
}

/**
 * No dispensing is lost: the server holds every movement a workstation accepted, each item's
 * stock moved by exactly what was typed, and every workstation derives the same stock and files
 * every patient's rows under the same record as the server.
 */
export async function expectStockAndMergesConverged(
  database: TestDatabase,
  stations: readonly TestWorkstation[],
  hospitalId: string,
  before: Record<string, number>,
  ledger: StockLedger,
) {
  const stored = await database.db.$client.query<{ n: number }>(
    'select count(*)::int as n from inventory_movements where id = any($1::uuid[])',
    [ledger.movementIds],
  );
  expect(stored.rows[0]?.n).toBe(ledger.movementIds.length);
  const stock = await serverStockOnHand(database, hospitalId);
  for (const [itemId, onHand] of Object.entries(stock))
    expect(onHand, itemId).toBe((before[itemId] ?? 0) + (ledger.change.get(itemId) ?? 0));
  const links = await serverPatientLinks(database, hospitalId);
  for (const ws of stations) {
    expect(replicaStockOnHand(ws.db, hospitalId), ws.name).toEqual(stock);
    expect(replicaPatientLinks(ws.db, hospitalId), ws.name).toEqual(links);
  }
}

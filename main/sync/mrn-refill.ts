import type { LocalDb } from '../../db/local/open';
import { MAX_ID_RESERVATION } from '../../shared/protocol';
import { addReservedMrns, countFreeMrns } from '../services/mrn-pool';
import type { SyncTransport } from './transport';

/** Below this many free MRNs a desk could run dry during a long outage; top up while online. */
export const MRN_POOL_LOW_WATER = 25;
export const MRN_POOL_TARGET = 100;

export async function refillMrnPool(db: LocalDb, transport: SyncTransport): Promise<number> {
  const free = countFreeMrns(db);
  if (free >= MRN_POOL_LOW_WATER) return 0;
  const wanted = Math.min(MRN_POOL_TARGET - free, MAX_ID_RESERVATION);
  const { values } = await transport.reserveMrns(wanted);
  addReservedMrns(db, values);
  return values.length;
}

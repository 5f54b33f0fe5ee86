import { and, eq, isNull, ne } from 'drizzle-orm';
import { beds, visits, wards } from '../../db/local/schema';
import { refuse } from '../errors';
import type { WriteBatch } from './write-path';

/**
 * Checks inside the write's transaction that a bed can take a patient now. A bed holds one
 * active visit (the partial unique index enforces it too; this gives the sentence).
 */
export function claimBed(
  batch: WriteBatch,
  options: { bedId: string; wardId: string; visitId?: string },
) {
  const bed = batch.db.select().from(beds).where(eq(beds.id, options.bedId)).get();
  if (!bed || bed.deletedAt !== null)
    refuse('not_found', 'That bed does not exist on this workstation.', 'not_found');
  if (bed.wardId !== options.wardId) {
    const ward = batch.db
      .select({ name: wards.name })
      .from(wards)
      .where(eq(wards.id, options.wardId))
      .get();
    refuse(
      'bed_not_in_ward',
      `Bed ${bed.number} is not on ${ward?.name ?? 'that ward'}.`,
      'invalid',
    );
  }
  const holder = batch.db
    .select({ id: visits.id })
    .from(visits)
    .where(
      and(
        eq(visits.bedId, bed.id),
        eq(visits.status, 'admitted'),
        isNull(visits.deletedAt),
        ne(visits.id, options.visitId ?? ''),
      ),
    )
    .get();
  if (holder || bed.status === 'occupied')
    refuse('bed_unavailable', `Bed ${bed.number} is already occupied by another patient.`);
  if (bed.status !== 'available')
    refuse(
      'bed_unavailable',
      `Bed ${bed.number} is ${bed.status === 'maintenance' ? 'under maintenance' : 'reserved'} and cannot take a patient.`,
    );
  batch.update(beds, bed.id, { status: 'occupied' }, { action: 'bed.occupy' });
  return bed;
}

export function releaseBed(batch: WriteBatch, bedId: string | null): void {
  if (bedId === null) return;
  batch.update(beds, bedId, { status: 'available' }, { action: 'bed.release' });
}

import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { visits, wards } from '../../db/local/schema';
import { VisitFieldsSchema } from '../../shared/schemas/visits';
import { IdSchema } from '../../shared/schemas/common';
import { refuse } from '../errors';
import { claimBed, releaseBed } from './beds';
import { parseInput } from './validate';
import { loadVisit, requireAdmitted } from './visits';
import { writeClinical, type WriteContext } from './write-path';

export const TransferPatientInput = z.object({
  visitId: IdSchema,
  wardId: VisitFieldsSchema.shape.wardId,
  bedId: VisitFieldsSchema.shape.bedId,
});
export type TransferPatientInput = z.input<typeof TransferPatientInput>;

/** Moves an admitted patient to another bed and/or ward; the old bed is freed in the same write. */
export function transferPatient(context: WriteContext, input: TransferPatientInput) {
  const fields = parseInput(TransferPatientInput, input);
  return writeClinical(context, (batch) => {
    const visit = loadVisit(batch, fields.visitId);
    requireAdmitted(visit);
    const ward = batch.db.select().from(wards).where(eq(wards.id, fields.wardId)).get();
    if (!ward) refuse('not_found', 'That ward does not exist on this workstation.', 'not_found');
    if (visit.bedId === fields.bedId && visit.wardId === fields.wardId) {
      refuse('nothing_to_transfer', 'The patient is already in that bed.', 'invalid');
    }
    releaseBed(batch, visit.bedId);
    if (fields.bedId) claimBed(batch, { bedId: fields.bedId, wardId: ward.id, visitId: visit.id });
    return batch.update(
      visits,
      visit.id,
      { wardId: ward.id, bedId: fields.bedId },
      { action: 'visit.transfer' },
    );
  });
}

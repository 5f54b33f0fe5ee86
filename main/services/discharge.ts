import { z } from 'zod';
import { visits } from '../../db/local/schema';
import { IdSchema, textField } from '../../shared/schemas/common';
import { releaseBed } from './beds';
import { completeStayPrescriptions } from './prescriptions';
import { parseInput } from './validate';
import { loadVisit, requireVisitTransition } from './visits';
import { writeClinical, type WriteContext } from './write-path';

export const DischargePatientInput = z.object({
  visitId: IdSchema,
  dischargeSummary: textField(20_000),
});
export type DischargePatientInput = z.input<typeof DischargePatientInput>;

/**
 * Ends a stay with its discharge summary; the bed is free again and the stay's prescriptions
 * are completed in the same write (before the visit, so the server sees them on an open stay).
 */
export function dischargePatient(context: WriteContext, input: DischargePatientInput) {
  const fields = parseInput(DischargePatientInput, input);
  return writeClinical(context, (batch) => {
    const visit = loadVisit(batch, fields.visitId);
    requireVisitTransition(visit, 'discharged');
    releaseBed(batch, visit.bedId);
    completeStayPrescriptions(batch, visit.id);
    return batch.update(
      visits,
      visit.id,
      { status: 'discharged', dischargedAt: batch.now, dischargeSummary: fields.dischargeSummary },
      { action: 'visit.discharge' },
    );
  });
}

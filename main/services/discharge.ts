import { z } from 'zod';
import { visits } from '../../db/local/schema';
import { IdSchema, textField } from '../../shared/schemas/common';
import { releaseBed } from './beds';
import { approveDischargeSummary } from './discharge-summary';
import { completeStayPrescriptions } from './prescriptions';
import { parseInput } from './validate';
import { loadVisit, requireVisitTransition } from './visits';
import { writeClinical, type WriteContext } from './write-path';

export const DischargePatientInput = z.object({
  visitId: IdSchema,
  /** The stay's discharge summary draft (main/services/discharge-summary.ts) being approved. */
  summaryDraftId: IdSchema,
  /** The summary as the doctor approves it: the draft's text, edited. */
  summary: textField(20_000),
});
export type DischargePatientInput = z.input<typeof DischargePatientInput>;

/**
 * Ends a stay with its approved discharge summary: the draft is approved and its text written
 * into the stay's record, the bed is free again and the stay's prescriptions are completed, all
 * in one write (the record entry and prescriptions first, so the server sees them on an open
 * stay). There is no discharge without an approved summary.
 */
export function dischargePatient(context: WriteContext, input: DischargePatientInput) {
  const fields = parseInput(DischargePatientInput, input);
  return writeClinical(context, (batch) => {
    const visit = loadVisit(batch, fields.visitId);
    requireVisitTransition(visit, 'discharged');
    approveDischargeSummary(batch, visit.id, fields.summaryDraftId, fields.summary);
    releaseBed(batch, visit.bedId);
    completeStayPrescriptions(batch, visit.id);
    return batch.update(
      visits,
      visit.id,
      { status: 'discharged', dischargedAt: batch.now, dischargeSummary: fields.summary },
      { action: 'visit.discharge' },
    );
  });
}

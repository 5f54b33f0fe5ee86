/**
 * The stay's discharge summary as a printable page: the approved one when there is one, else the
 * open draft, marked as not approved. Printing reads patient data, so it is audited like a chart.
 */
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { aiDrafts, hospitals, patients, users, visits, wards } from '../../db/local/schema';
import { dischargeSummaryPage } from '../../shared/print/discharge-summary-page';
import { IdSchema } from '../../shared/schemas/common';
import { refuse } from '../errors';
import { findOpenDraft } from './discharge-summary';
import { parseInput } from './validate';
import { auditRead, findById, type WriteContext } from './write-path';

export const PrintDischargeSummaryInput = z.object({ visitId: IdSchema });

export function printDischargeSummary(
  context: WriteContext,
  input: z.input<typeof PrintDischargeSummaryInput>,
): { html: string; status: string } {
  const { visitId } = parseInput(PrintDischargeSummaryInput, input);
  const { db } = context;
  const visit = findById(db, visits, visitId);
  if (!visit) refuse('not_found', 'That visit does not exist on this workstation.', 'not_found');
  const approved = db
    .select()
    .from(aiDrafts)
    .where(
      and(
        eq(aiDrafts.visitId, visitId),
        eq(aiDrafts.kind, 'discharge_summary'),
        eq(aiDrafts.status, 'approved'),
        isNull(aiDrafts.deletedAt),
      ),
    )
    .orderBy(desc(aiDrafts.reviewedAt))
    .get();
  const draft = approved ?? findOpenDraft(db, visitId);
  if (!draft)
    refuse(
      'not_found',
      'This stay has no discharge summary yet: open the discharge to draft one.',
      'not_found',
    );
  const patient = findById(db, patients, visit.patientId);
  const reviewer = draft.reviewedBy ? findById(db, users, draft.reviewedBy) : undefined;
  const hospital = findById(db, hospitals, visit.hospitalId);
  const ward = findById(db, wards, visit.wardId);
  auditRead(context, {
    action: 'discharge_summary.print',
    entity: 'visits',
    entityId: visit.id,
    patientId: visit.patientId,
    details: { status: draft.status },
  });
  const html = dischargeSummaryPage({
    hospital: hospital?.name ?? '',
    patient: {
      name: patient ? `${patient.firstName} ${patient.lastName}` : 'Unknown patient',
      mrn: patient?.mrn ?? '—',
      dateOfBirth: patient?.dateOfBirth ?? null,
    },
    admittedAt: visit.admittedAt,
    dischargedAt: visit.dischargedAt,
    ward: ward?.name ?? null,
    text: draft.body,
    status: draft.status,
    reviewedBy: reviewer?.fullName ?? null,
    reviewedAt: draft.reviewedAt,
    generator: draft.generator,
    printedAt: context.clock.now().toISOString(),
  });
  return { html, status: draft.status };
}

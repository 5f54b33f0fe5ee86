/**
 * The discharge summary's review (issue 17): a generator drafts it from the stay's records into
 * `ai_drafts`, the doctor edits it (reviewed) and approves it at discharge, or rejects it. Only
 * the approved text enters the stay's record (`emr_local`, kind `discharge_summary`) and so the
 * global EMR; a draft, reviewed or rejected, never leaves `ai_drafts`.
 */
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { aiDrafts, emrLocal } from '../../db/local/schema';
import { recordsGenerator, type DischargeSummaryGenerator } from '../../shared/discharge-summary';
import { IdSchema, textField } from '../../shared/schemas/common';
import { refuse } from '../errors';
import type { ReplicaReader } from './replica-reader';
import { readStayRecords } from './stay-records';
import { parseInput } from './validate';
import { loadVisit, requireAdmitted } from './visits';
import { writeClinical, type WriteBatch, type WriteContext } from './write-path';

export type DraftRow = typeof aiDrafts.$inferSelect;

/** The section heading of the approved summary in the stay's record. */
export const DISCHARGE_SUMMARY_HEADING = 'Discharge summary';

const OPEN_STATUSES = ['draft', 'reviewed'] as const;

export const DraftDischargeSummaryInput = z.object({ visitId: IdSchema });
export const ReviseDischargeSummaryInput = z.object({
  draftId: IdSchema,
  body: textField(20_000),
});
export const RejectDischargeSummaryInput = z.object({ draftId: IdSchema });

/** The stay's open draft (drafted or reviewed), newest first; null when there is none. */
export function findOpenDraft(db: ReplicaReader, visitId: string): DraftRow | null {
  return (
    db
      .select()
      .from(aiDrafts)
      .where(
        and(
          eq(aiDrafts.visitId, visitId),
          eq(aiDrafts.kind, 'discharge_summary'),
          inArray(aiDrafts.status, OPEN_STATUSES),
          isNull(aiDrafts.deletedAt),
        ),
      )
      .orderBy(desc(aiDrafts.createdAt))
      .get() ?? null
  );
}

/**
 * The stay's open draft, or a new one from the generator: one draft at a time, so two doctors
 * opening the discharge see the same text (a second one drafted offline elsewhere is also open).
 */
export function draftDischargeSummary(
  context: WriteContext,
  input: z.input<typeof DraftDischargeSummaryInput>,
  generator: DischargeSummaryGenerator = recordsGenerator,
): DraftRow {
  const { visitId } = parseInput(DraftDischargeSummaryInput, input);
  return writeClinical(context, (batch) => {
    const visit = loadVisit(batch, visitId);
    requireAdmitted(visit);
    const open = findOpenDraft(batch.db, visit.id);
    if (open) return open;
    return batch.insert(
      aiDrafts,
      {
        kind: 'discharge_summary',
        visitId: visit.id,
        patientId: visit.patientId,
        body: generator.draft(readStayRecords(batch.db, visit, batch.now)),
        status: 'draft',
        reviewedBy: null,
        reviewedAt: null,
        generator: generator.name,
      },
      { action: 'discharge_summary.draft' },
    );
  });
}

function loadOpenDraft(batch: WriteBatch, draftId: string): DraftRow {
  const draft = batch.read(aiDrafts, draftId);
  if (draft.kind !== 'discharge_summary' || draft.deletedAt !== null)
    refuse(
      'not_found',
      'That discharge summary draft does not exist on this workstation.',
      'not_found',
    );
  if (!(OPEN_STATUSES as readonly string[]).includes(draft.status))
    refuse(
      'discharge_summary_closed',
      `This discharge summary draft was already ${draft.status}; open the discharge again for the current one.`,
    );
  return draft;
}

/** The doctor's edit, saved: the draft is now reviewed text, still not in the record. */
export function reviseDischargeSummary(
  context: WriteContext,
  input: z.input<typeof ReviseDischargeSummaryInput>,
): DraftRow {
  const fields = parseInput(ReviseDischargeSummaryInput, input);
  return writeClinical(context, (batch) => {
    const draft = loadOpenDraft(batch, fields.draftId);
    requireAdmitted(loadVisit(batch, draft.visitId));
    return batch.update(
      aiDrafts,
      draft.id,
      {
        body: fields.body,
        status: 'reviewed',
        reviewedBy: batch.actor.userId,
        reviewedAt: batch.now,
      },
      { action: 'discharge_summary.review' },
    );
  });
}

/** Thrown away: the next discharge opens a fresh draft from the records. */
export function rejectDischargeSummary(
  context: WriteContext,
  input: z.input<typeof RejectDischargeSummaryInput>,
): DraftRow {
  const fields = parseInput(RejectDischargeSummaryInput, input);
  return writeClinical(context, (batch) => {
    const draft = loadOpenDraft(batch, fields.draftId);
    return batch.update(
      aiDrafts,
      draft.id,
      { status: 'rejected', reviewedBy: batch.actor.userId, reviewedAt: batch.now },
      { action: 'discharge_summary.reject' },
    );
  });
}

/**
 * Approves the draft with the text the doctor ends with and writes that text into the stay's
 * record, inside the discharge's own transaction (main/services/discharge.ts): the record entry
 * reaches the server before the visit's discharge, while the stay is still open there.
 */
export function approveDischargeSummary(
  batch: WriteBatch,
  visitId: string,
  draftId: string,
  summary: string,
): void {
  const draft = loadOpenDraft(batch, draftId);
  if (draft.visitId !== visitId)
    refuse('invalid_input', 'That discharge summary belongs to another stay.', 'invalid');
  batch.update(
    aiDrafts,
    draft.id,
    { body: summary, status: 'approved', reviewedBy: batch.actor.userId, reviewedAt: batch.now },
    { action: 'discharge_summary.approve' },
  );
  batch.insert(
    emrLocal,
    {
      visitId,
      patientId: draft.patientId,
      kind: 'discharge_summary',
      body: { [DISCHARGE_SUMMARY_HEADING]: summary },
    },
    { action: 'emr.discharge_summary' },
  );
}

/**
 * A visit's local EMR record (`emr_local`): what the doctors write into this hospital's record of
 * the stay. The server promotes these entries to the patient's global EMR at discharge, so they
 * can only be added while the stay is open.
 */
import { z } from 'zod';
import { emrLocal } from '../../db/local/schema';
import { IdSchema, textField } from '../../shared/schemas/common';
import { EmrLocalFieldsSchema } from '../../shared/schemas/records';
import { parseInput } from './validate';
import { loadVisit, requireAdmitted } from './visits';
import { writeClinical, type WriteContext } from './write-path';

// A discharge summary enters the record only approved, through main/services/discharge-summary.ts.
export const EMR_KINDS = EmrLocalFieldsSchema.shape.kind.exclude(['discharge_summary']).options;

export const EmrSectionSchema = z.object({ heading: textField(120), text: textField(20_000) });

export const AddEmrEntryInput = z.object({
  visitId: IdSchema,
  kind: EmrLocalFieldsSchema.shape.kind.exclude(['discharge_summary']),
  // Each heading becomes a key of the entry's body, which the chart shows as a heading.
  sections: z
    .array(EmrSectionSchema)
    .min(1)
    .max(20)
    .refine(
      (sections) =>
        new Set(sections.map((section) => section.heading.toLowerCase())).size === sections.length,
      {
        message: 'Give each section its own heading',
      },
    ),
});
export type AddEmrEntryInput = z.input<typeof AddEmrEntryInput>;

export function addEmrEntry(context: WriteContext, input: AddEmrEntryInput) {
  const fields = parseInput(AddEmrEntryInput, input);
  return writeClinical(context, (batch) => {
    const visit = loadVisit(batch, fields.visitId);
    requireAdmitted(visit);
    return batch.insert(
      emrLocal,
      {
        visitId: visit.id,
        patientId: visit.patientId,
        kind: fields.kind,
        body: Object.fromEntries(fields.sections.map((section) => [section.heading, section.text])),
      },
      { action: `emr.${fields.kind}` },
    );
  });
}

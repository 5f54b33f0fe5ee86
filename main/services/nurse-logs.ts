import { z } from 'zod';
import { nurseLogs } from '../../db/local/schema';
import { IdSchema } from '../../shared/schemas/common';
import { NurseLogFieldsSchema } from '../../shared/schemas/nurse-logs';
import { requireCorrectable } from './corrections';
import { parseInput } from './validate';
import { loadVisit, requireAdmitted } from './visits';
import { writeClinical, type WriteContext } from './write-path';

export const WriteNurseLogInput = NurseLogFieldsSchema.pick({
  visitId: true,
  kind: true,
  body: true,
}).extend({
  recordedAt: NurseLogFieldsSchema.shape.recordedAt.optional(),
});
export type WriteNurseLogInput = z.input<typeof WriteNurseLogInput>;

export const CorrectNurseLogInput = z.object({
  enteredInErrorId: IdSchema,
  body: NurseLogFieldsSchema.shape.body,
});

/** Observation, care activity, incident, note or the handoff to the next shift. */
export function writeNurseLog(context: WriteContext, input: WriteNurseLogInput) {
  const fields = parseInput(WriteNurseLogInput, input);
  return writeClinical(context, (batch) => {
    const visit = loadVisit(batch, fields.visitId);
    requireAdmitted(visit);
    return batch.insert(
      nurseLogs,
      {
        ...fields,
        patientId: visit.patientId,
        recordedAt: fields.recordedAt ?? batch.now,
        recordedBy: batch.actor.userId,
        enteredInErrorId: null,
      },
      { action: fields.kind === 'handoff' ? 'nurse_log.handoff' : 'nurse_log.write' },
    );
  });
}

export function correctNurseLog(
  context: WriteContext,
  input: z.input<typeof CorrectNurseLogInput>,
) {
  const fields = parseInput(CorrectNurseLogInput, input);
  return writeClinical(context, (batch) => {
    const original = requireCorrectable(batch, nurseLogs, fields.enteredInErrorId);
    return batch.insert(
      nurseLogs,
      {
        visitId: original.visitId,
        patientId: original.patientId,
        kind: original.kind,
        body: fields.body,
        recordedAt: batch.now,
        recordedBy: batch.actor.userId,
        enteredInErrorId: fields.enteredInErrorId,
      },
      { action: 'nurse_log.correct' },
    );
  });
}

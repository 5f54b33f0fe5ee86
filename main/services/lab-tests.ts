import { z } from 'zod';
import { labTests } from '../../db/local/schema';
import { IdSchema, textField } from '../../shared/schemas/common';
import {
  LAB_TEST_TRANSITIONS,
  LabTestFieldsSchema,
  type LabTestStatus,
} from '../../shared/schemas/lab-tests';
import { refuse } from '../errors';
import { parseInput } from './validate';
import { loadVisit, requireAdmitted } from './visits';
import { writeClinical, type WriteContext } from './write-path';

const shape = LabTestFieldsSchema.shape;
export const OrderLabTestInput = z.object({
  visitId: IdSchema,
  testCode: shape.testCode,
  testName: shape.testName,
  urgency: shape.urgency.default('routine'),
});
export type OrderLabTestInput = z.input<typeof OrderLabTestInput>;

export const LabTestIdInput = z.object({ labTestId: IdSchema });
export const CompleteLabTestInput = LabTestIdInput.extend({
  result: textField(20_000),
  reportAttachment: shape.reportAttachment.default(null),
});
export const CancelLabTestInput = LabTestIdInput.extend({ reason: textField(500) });

const STATUS_WORDS: Record<LabTestStatus, string> = {
  pending: 'waiting for the lab',
  accepted: 'accepted by the lab',
  in_progress: 'in progress',
  completed: 'completed',
  cancelled: 'cancelled',
};

export function orderLabTest(context: WriteContext, input: OrderLabTestInput) {
  const fields = parseInput(OrderLabTestInput, input);
  return writeClinical(context, (batch) => {
    const visit = loadVisit(batch, fields.visitId);
    requireAdmitted(visit);
    return batch.insert(
      labTests,
      {
        ...fields,
        patientId: visit.patientId,
        status: 'pending',
        orderedBy: batch.actor.userId,
        orderedAt: batch.now,
      },
      { action: 'lab_test.order' },
    );
  });
}

/** Moves a lab test along its workflow; the transition table of shared/ decides what is allowed. */
export function advanceLabTest(
  context: WriteContext,
  labTestId: string,
  to: Exclude<LabTestStatus, 'pending'>,
  details: { result?: string; reportAttachment?: string | null; reason?: string } = {},
) {
  return writeClinical(context, (batch) => {
    const current = batch.read(labTests, labTestId);
    if (!LAB_TEST_TRANSITIONS[current.status].includes(to)) {
      refuse(
        'invalid_transition',
        `${current.testName} is ${STATUS_WORDS[current.status]}; it cannot be marked ${STATUS_WORDS[to]}.`,
      );
    }
    const changes =
      to === 'accepted'
        ? { status: to, acceptedBy: batch.actor.userId, acceptedAt: batch.now }
        : to === 'in_progress'
          ? { status: to, startedAt: batch.now }
          : to === 'completed'
            ? {
                status: to,
                completedAt: batch.now,
                result: details.result ?? null,
                reportAttachment: details.reportAttachment ?? null,
              }
            : { status: to, cancellationReason: details.reason ?? null };
    return batch.update(labTests, labTestId, changes, { action: `lab_test.${to}` });
  });
}

export const acceptLabTest = (c: WriteContext, input: z.input<typeof LabTestIdInput>) =>
  advanceLabTest(c, parseInput(LabTestIdInput, input).labTestId, 'accepted');
export const startLabTest = (c: WriteContext, input: z.input<typeof LabTestIdInput>) =>
  advanceLabTest(c, parseInput(LabTestIdInput, input).labTestId, 'in_progress');
export function completeLabTest(c: WriteContext, input: z.input<typeof CompleteLabTestInput>) {
  const fields = parseInput(CompleteLabTestInput, input);
  return advanceLabTest(c, fields.labTestId, 'completed', fields);
}
export function cancelLabTest(c: WriteContext, input: z.input<typeof CancelLabTestInput>) {
  const fields = parseInput(CancelLabTestInput, input);
  return advanceLabTest(c, fields.labTestId, 'cancelled', fields);
}

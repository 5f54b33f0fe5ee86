/**
 * Idempotency (SYNC-PROTOCOL.md, push, "Idempotent"): each mutation's first outcome is kept with
 * its id in `applied_mutations`, and every resend answers `duplicate` repeating it. The first
 * answer may have been lost on the way (a cut connection, a killed process); a refusal or a
 * conflict that vanished with it would leave the workstation showing a value the server never
 * took, or a nurse never told that her value lost.
 */
import { z } from 'zod';
import {
  FIRST_STATUSES,
  ReasonSchema,
  WarningSchema,
  type Mutation,
  type MutationResult,
} from '../../shared/protocol';
import type { WireRow } from './rows';

/**
 * What is kept: the status, version, reason and warnings of the first answer. Not its
 * `serverRow`: a duplicate carries the row as the server has it at the resend.
 */
export const FirstOutcomeSchema = z.object({
  status: z.enum(FIRST_STATUSES),
  version: z.number().int().optional(),
  // A reason or warning stored by an older server that today's contract cannot name is left out
  // of the repeat rather than failing the whole push; the status still says what happened.
  reason: ReasonSchema.optional().catch(undefined),
  warnings: z.array(WarningSchema).optional().catch(undefined),
});
export type FirstOutcome = z.infer<typeof FirstOutcomeSchema>;

/** The outcome to keep from a first answer (never a `duplicate` itself). */
export function firstOutcome(result: MutationResult): FirstOutcome {
  if (result.status === 'duplicate') throw new Error('a duplicate is never a first outcome');
  return {
    status: result.status,
    ...(result.version !== undefined ? { version: result.version } : {}),
    ...(result.reason ? { reason: result.reason } : {}),
    ...(result.warnings ? { warnings: result.warnings } : {}),
  };
}

/** The `applied_mutations` row of a mutation's first outcome, whatever path decided it. */
export function idempotencyRecord(
  device: { id: string },
  mutation: Mutation,
  outcome: FirstOutcome,
  receivedAt: Date,
): Record<string, unknown> {
  return {
    mutationId: mutation.mutationId,
    deviceId: device.id,
    deviceSeq: mutation.deviceSeq,
    userId: mutation.userId,
    tableName: mutation.table,
    rowId: mutation.id,
    op: mutation.op,
    status: outcome.status,
    version: outcome.version ?? null,
    result: outcome,
    clientTime: mutation.clientTime,
    receivedAt: receivedAt.toISOString(),
  };
}

/**
 * The answer to a mutation seen before: its first outcome, and for a conflict or a refusal the
 * row as the server has it now (`currentRow`, already limited to what this device may see), so
 * the workstation can put its replica right.
 */
export function answerDuplicate(
  mutation: Mutation,
  first: FirstOutcome,
  currentRow: WireRow | undefined,
): MutationResult {
  return {
    mutationId: mutation.mutationId,
    status: 'duplicate',
    firstStatus: first.status,
    ...(first.version !== undefined ? { version: first.version } : {}),
    ...(first.reason ? { reason: first.reason } : {}),
    ...(first.warnings ? { warnings: first.warnings } : {}),
    ...(first.status !== 'applied' && currentRow ? { serverRow: currentRow } : {}),
  };
}

/**
 * Break-glass (issue 15): opening a chart the person has no standing access to (a restricted
 * record, or a patient outside their wards when the hospital assigns wards) asks for a reason and
 * the password again, and grants that chart for BREAK_GLASS_MINUTES. Every read under it carries
 * the reason as its audit purpose, and a manager signs each one off in the Break-glass review.
 */
import { z } from 'zod';
import { IdSchema } from './schemas/common';

export const BREAK_GLASS_MINUTES = 60;

export const BREAK_GLASS_REASONS = {
  direct_care: 'Direct care of this patient',
  emergency: 'Emergency',
  other: 'Other (say why)',
} as const;
export type BreakGlassReason = keyof typeof BREAK_GLASS_REASONS;

/** Why a chart needs break-glass for this person. */
export type BreakGlassCause = 'restricted' | 'outside_wards';

export const BreakGlassRequestSchema = z
  .object({
    patientId: IdSchema,
    reason: z.enum(Object.keys(BREAK_GLASS_REASONS) as [BreakGlassReason, ...BreakGlassReason[]], {
      message: 'Choose why you need this chart.',
    }),
    /** Required with `other`: the person's own words (never patient values). */
    note: z.string().trim().max(150).optional(),
  })
  .refine((request) => request.reason !== 'other' || (request.note ?? '').length > 0, {
    message: 'Say why you need this chart.',
    path: ['note'],
  });
export type BreakGlassRequest = z.infer<typeof BreakGlassRequestSchema>;

/** The audit purpose of the start and of every read under it, e.g. `break-glass: emergency`. */
export function breakGlassPurpose(request: {
  reason: BreakGlassReason;
  note?: string | undefined;
}) {
  return request.reason === 'other'
    ? `break-glass: other: ${request.note ?? ''}`
    : `break-glass: ${request.reason}`;
}

/** One break-glass as the review lists it (server-side, or this workstation's offline). */
export const BreakGlassEntrySchema = z.object({
  /** The id of the `break_glass.start` audit event: what a sign-off names. */
  id: IdSchema,
  at: z.string(),
  userId: IdSchema.nullable(),
  userName: z.string().nullable(),
  role: z.string().nullable(),
  patientId: IdSchema.nullable(),
  purpose: z.string().nullable(),
  cause: z.string().nullable(),
  workstation: z.string().nullable(),
  /** Reads under this break-glass (chart opens), counted from the trail. */
  reads: z.number().int().nonnegative(),
  reviewedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
});
export type BreakGlassEntry = z.infer<typeof BreakGlassEntrySchema>;

export const BreakGlassReviewSchema = z.object({
  entries: z.array(BreakGlassEntrySchema),
});
export type BreakGlassReview = z.infer<typeof BreakGlassReviewSchema>;

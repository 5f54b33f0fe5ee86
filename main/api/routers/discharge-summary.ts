import {
  draftDischargeSummary,
  DraftDischargeSummaryInput,
  rejectDischargeSummary,
  RejectDischargeSummaryInput,
  reviseDischargeSummary,
  ReviseDischargeSummaryInput,
} from '../../services/discharge-summary';
import {
  printDischargeSummary,
  PrintDischargeSummaryInput,
} from '../../services/discharge-summary-print';
import { permissionProcedure, reauthProcedure, router } from '../trpc';

/**
 * The discharge summary's review; approving it is the discharge itself (`visits.discharge`).
 * Drafting needs the discharge permission as well as reading drafts: it is the discharge's start.
 */
export const dischargeSummaryRouter = router({
  draft: permissionProcedure('visits:discharge')
    .input(DraftDischargeSummaryInput)
    .mutation(({ ctx, input }) => draftDischargeSummary(ctx, input)),
  revise: permissionProcedure('ai_drafts:review')
    .input(ReviseDischargeSummaryInput)
    .mutation(({ ctx, input }) => reviseDischargeSummary(ctx, input)),
  reject: permissionProcedure('ai_drafts:review')
    .input(RejectDischargeSummaryInput)
    .mutation(({ ctx, input }) => rejectDischargeSummary(ctx, input)),
  /** Printing takes patient data off the screen: the password again first, like every print. */
  printable: reauthProcedure('ai_drafts:read', 'print')
    .input(PrintDischargeSummaryInput)
    .mutation(({ ctx, input }) => printDischargeSummary(ctx, input)),
});

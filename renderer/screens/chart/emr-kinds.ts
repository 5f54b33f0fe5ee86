/** The kinds of EMR entry, as a clinician reads them. */
import type { RouterInputs } from '../../trpc/types';

export type EmrKind = RouterInputs['emr']['add']['kind'];

export const EMR_KIND_LABELS: Record<EmrKind, string> = {
  visit_record: 'Visit record',
  assessment: 'Assessment',
  procedure: 'Procedure',
  imaging: 'Imaging',
  other: 'Other',
};

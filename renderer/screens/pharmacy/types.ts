import type { RouterOutputs } from '../../trpc/types';

export type ActivePrescription =
  RouterOutputs['prescriptions']['listActive']['prescriptions'][number];

import { z } from 'zod';
import { IdSchema } from '../../../shared/schemas/common';
import { readWristbandScans } from '../../services/downtime-pack';
import {
  correctAdministration,
  CorrectAdministrationInput,
  recordAdministration,
  RecordAdministrationInput,
} from '../../services/mar';
import {
  discontinuePrescription,
  DiscontinuePrescriptionInput,
  prescribe,
  PrescribeInput,
} from '../../services/prescriptions';
import { listActivePrescriptions, ListActivePrescriptionsInput } from '../../services/pharmacy';
import { auditListRead } from '../access-audit';
import { permissionProcedure, router } from '../trpc';

export const prescriptionsRouter = router({
  create: permissionProcedure('prescriptions:create')
    .input(PrescribeInput)
    .mutation(({ ctx, input }) => prescribe(ctx, input)),
  discontinue: permissionProcedure('prescriptions:update')
    .input(DiscontinuePrescriptionInput)
    .mutation(({ ctx, input }) => discontinuePrescription(ctx, input)),
  /** The pharmacist's hospital-wide list, by ward and bed; filter by ward and drug/patient text. */
  listActive: permissionProcedure('prescriptions:read')
    .input(ListActivePrescriptionsInput.default({}))
    .query(({ ctx, input }) => {
      const list = listActivePrescriptions(ctx.db, { ...input, hospitalId: ctx.actor.hospitalId });
      auditListRead(ctx, {
        sessionId: ctx.session.id,
        action: 'pharmacy_list.read',
        entity: 'prescriptions',
        entityId: input.wardId ?? null,
      });
      return list;
    }),
});

const DAY_MS = 24 * 3_600_000;

export const marRouter = router({
  /** The ward's doses charted in the last 24 h, and how many after a wristband scan (issue 17). */
  wristbandScans: permissionProcedure('mar:read')
    .input(z.object({ wardId: IdSchema }))
    .query(({ ctx, input }) =>
      readWristbandScans(ctx.db, {
        wardId: input.wardId,
        from: new Date(ctx.clock.now().getTime() - DAY_MS).toISOString(),
      }),
    ),
  record: permissionProcedure('mar:administer')
    .input(RecordAdministrationInput)
    .mutation(({ ctx, input }) => recordAdministration(ctx, input)),
  correct: permissionProcedure('mar:administer')
    .input(CorrectAdministrationInput)
    .mutation(({ ctx, input }) => correctAdministration(ctx, input)),
});

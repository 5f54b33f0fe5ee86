import { and, asc, eq, inArray } from 'drizzle-orm';
import { labTests, patients } from '../../../db/local/schema';
import {
  acceptLabTest,
  cancelLabTest,
  CancelLabTestInput,
  completeLabTest,
  CompleteLabTestInput,
  LabTestIdInput,
  orderLabTest,
  OrderLabTestInput,
  startLabTest,
} from '../../services/lab-tests';
import { auditListRead } from '../access-audit';
import { permissionProcedure, router } from '../trpc';

export const labTestsRouter = router({
  order: permissionProcedure('lab_tests:order')
    .input(OrderLabTestInput)
    .mutation(({ ctx, input }) => orderLabTest(ctx, input)),
  accept: permissionProcedure('lab_tests:accept')
    .input(LabTestIdInput)
    .mutation(({ ctx, input }) => acceptLabTest(ctx, input)),
  start: permissionProcedure('lab_tests:start')
    .input(LabTestIdInput)
    .mutation(({ ctx, input }) => startLabTest(ctx, input)),
  complete: permissionProcedure('lab_tests:complete')
    .input(CompleteLabTestInput)
    .mutation(({ ctx, input }) => completeLabTest(ctx, input)),
  cancel: permissionProcedure('lab_tests:cancel')
    .input(CancelLabTestInput)
    .mutation(({ ctx, input }) => cancelLabTest(ctx, input)),
  /** The lab's work queue: everything not yet completed or cancelled, oldest first. */
  queue: permissionProcedure('lab_tests:read').query(({ ctx }) => {
    const queue = ctx.db
      .select({
        test: labTests,
        mrn: patients.mrn,
        firstName: patients.firstName,
        lastName: patients.lastName,
      })
      .from(labTests)
      .innerJoin(patients, eq(patients.id, labTests.patientId))
      .where(
        and(
          eq(labTests.hospitalId, ctx.actor.hospitalId),
          inArray(labTests.status, ['pending', 'accepted', 'in_progress']),
        ),
      )
      .orderBy(asc(labTests.orderedAt))
      .all();
    auditListRead(ctx, {
      sessionId: ctx.session.id,
      action: 'lab_queue.read',
      entity: 'lab_tests',
      entityId: null,
    });
    return queue;
  }),
});

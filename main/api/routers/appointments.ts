import { and, asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../../../db/local/schema';
import { IdSchema, TimestampSchema } from '../../../shared/schemas/common';
import {
  AppointmentIdInput,
  bookAppointment,
  BookAppointmentInput,
  cancelAppointment,
  CancelAppointmentInput,
  checkInAppointment,
  listAppointments,
} from '../../services/appointments';
import { permissionProcedure, router } from '../trpc';

export const appointmentsRouter = router({
  book: permissionProcedure('appointments:manage')
    .input(BookAppointmentInput)
    .mutation(({ ctx, input }) => bookAppointment(ctx, input)),
  checkIn: permissionProcedure('appointments:manage')
    .input(AppointmentIdInput)
    .mutation(({ ctx, input }) => checkInAppointment(ctx, input)),
  cancel: permissionProcedure('appointments:manage')
    .input(CancelAppointmentInput)
    .mutation(({ ctx, input }) => cancelAppointment(ctx, input)),
  list: permissionProcedure('appointments:read')
    .input(z.object({ from: TimestampSchema, to: TimestampSchema, doctorId: IdSchema.optional() }))
    .query(({ ctx, input }) => listAppointments(ctx, input)),
  /** The doctors reception can book with. */
  doctors: permissionProcedure('appointments:read').query(({ ctx }) =>
    ctx.db
      .select({ id: users.id, fullName: users.fullName })
      .from(users)
      .where(and(eq(users.role, 'doctor'), eq(users.active, true), isNull(users.deletedAt)))
      .orderBy(asc(users.fullName))
      .all(),
  ),
});

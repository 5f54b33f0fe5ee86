import { and, asc, eq, gte, lt, ne } from 'drizzle-orm';
import { z } from 'zod';
import { appointments, patients, users } from '../../db/local/schema';
import { AppointmentFieldsSchema } from '../../shared/schemas/appointments';
import { IdSchema, textField } from '../../shared/schemas/common';
import { refuse } from '../errors';
import { parseInput } from './validate';
import { writeClinical, type WriteContext } from './write-path';

const shape = AppointmentFieldsSchema.shape;
const MAX_DURATION_MS = 480 * 60_000;

export const BookAppointmentInput = z.object({
  patientId: IdSchema,
  doctorId: IdSchema,
  scheduledAt: shape.scheduledAt,
  durationMinutes: shape.durationMinutes.default(15),
  reason: shape.reason.default(null),
});
export type BookAppointmentInput = z.input<typeof BookAppointmentInput>;
export const AppointmentIdInput = z.object({ appointmentId: IdSchema });
export const CancelAppointmentInput = AppointmentIdInput.extend({ reason: textField(500) });

/** Books a slot; a doctor cannot have two appointments that overlap, unless one is cancelled. */
export function bookAppointment(context: WriteContext, input: BookAppointmentInput) {
  const fields = parseInput(BookAppointmentInput, input);
  const start = Date.parse(fields.scheduledAt);
  const end = start + fields.durationMinutes * 60_000;
  return writeClinical(context, (batch) => {
    const patient = batch.db
      .select({ id: patients.id })
      .from(patients)
      .where(eq(patients.id, fields.patientId))
      .get();
    if (!patient)
      refuse('not_found', 'That patient is not registered on this workstation.', 'not_found');
    const doctor = batch.db.select().from(users).where(eq(users.id, fields.doctorId)).get();
    if (doctor?.role !== 'doctor')
      refuse('not_a_doctor', 'Appointments are booked with a doctor; choose a doctor.', 'invalid');
    const nearby = batch.db
      .select()
      .from(appointments)
      .where(
        and(
          eq(appointments.doctorId, doctor.id),
          gte(appointments.scheduledAt, new Date(start - MAX_DURATION_MS).toISOString()),
          lt(appointments.scheduledAt, new Date(end).toISOString()),
          ne(appointments.status, 'cancelled'),
        ),
      )
      .orderBy(asc(appointments.scheduledAt))
      .all();
    const clash = nearby.find((other) => {
      const otherStart = Date.parse(other.scheduledAt);
      return (
        otherStart < end &&
        otherStart + other.durationMinutes * 60_000 > start &&
        other.deletedAt === null
      );
    });
    if (clash) {
      refuse(
        'double_booking',
        `${doctor.fullName} already has an appointment at ${clash.scheduledAt.slice(11, 16)} on ${clash.scheduledAt.slice(0, 10)} that overlaps this time.`,
      );
    }
    return batch.insert(
      appointments,
      {
        ...fields,
        scheduledAt: new Date(start).toISOString(),
        status: 'scheduled',
        checkedInAt: null,
        cancellationReason: null,
      },
      { action: 'appointment.book' },
    );
  });
}

export function checkInAppointment(
  context: WriteContext,
  input: z.input<typeof AppointmentIdInput>,
) {
  const { appointmentId } = parseInput(AppointmentIdInput, input);
  return writeClinical(context, (batch) => {
    const current = batch.read(appointments, appointmentId);
    if (current.status !== 'scheduled')
      refuse(
        'invalid_transition',
        `This appointment is ${current.status.replace('_', ' ')}; it cannot be checked in.`,
      );
    return batch.update(
      appointments,
      appointmentId,
      { status: 'checked_in', checkedInAt: batch.now },
      { action: 'appointment.check_in' },
    );
  });
}

export function cancelAppointment(
  context: WriteContext,
  input: z.input<typeof CancelAppointmentInput>,
) {
  const fields = parseInput(CancelAppointmentInput, input);
  return writeClinical(context, (batch) => {
    const current = batch.read(appointments, fields.appointmentId);
    if (current.status !== 'scheduled' && current.status !== 'checked_in') {
      refuse(
        'invalid_transition',
        `This appointment is ${current.status.replace('_', ' ')}; it cannot be cancelled.`,
      );
    }
    return batch.update(
      appointments,
      fields.appointmentId,
      { status: 'cancelled', cancellationReason: fields.reason },
      { action: 'appointment.cancel' },
    );
  });
}

/** Statuses that hold a doctor's slot (as the server's slot check counts them). */
const HOLDS_SLOT = new Set(['scheduled', 'checked_in']);

/**
 * Marks appointments whose slot another active appointment of the same doctor overlaps: two
 * desks booked it offline and the server kept both (`slot_taken`); reception moves one.
 */
function markSlotsTakenTwice<
  A extends {
    id: string;
    doctorId: string;
    scheduledAt: string;
    durationMinutes: number;
    status: string;
  },
>(list: A[]): (A & { slotTakenTwice: boolean })[] {
  const span = (a: A) => {
    const start = Date.parse(a.scheduledAt);
    return { start, end: start + a.durationMinutes * 60_000 };
  };
  return list.map((appointment) => {
    const mine = span(appointment);
    const clash =
      HOLDS_SLOT.has(appointment.status) &&
      list.some((other) => {
        if (other.id === appointment.id || other.doctorId !== appointment.doctorId) return false;
        if (!HOLDS_SLOT.has(other.status)) return false;
        const theirs = span(other);
        return theirs.start < mine.end && theirs.end > mine.start;
      });
    return { ...appointment, slotTakenTwice: clash };
  });
}

export function listAppointments(
  context: Pick<WriteContext, 'db'>,
  options: { from: string; to: string; doctorId?: string },
) {
  const { db } = context;
  const list = db
    .select({
      id: appointments.id,
      scheduledAt: appointments.scheduledAt,
      durationMinutes: appointments.durationMinutes,
      status: appointments.status,
      reason: appointments.reason,
      doctorId: appointments.doctorId,
      patientId: appointments.patientId,
      patientName: patients.lastName,
      patientFirstName: patients.firstName,
      mrn: patients.mrn,
    })
    .from(appointments)
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .where(
      and(
        gte(appointments.scheduledAt, options.from),
        lt(appointments.scheduledAt, options.to),
        options.doctorId ? eq(appointments.doctorId, options.doctorId) : undefined,
      ),
    )
    .orderBy(asc(appointments.scheduledAt))
    .all();
  return markSlotsTakenTwice(list);
}

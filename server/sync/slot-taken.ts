/**
 * Slot taken (issue 13): a doctor sees one patient at a time. Two reception desks offline can
 * each book the same slot, since each checks only the appointments it holds; the server checks
 * again when the bookings meet. The later booking is kept (nothing a desk promised a patient is
 * dropped), answered as a `slot_taken` conflict, and an alert asks reception to move one.
 */
import type { Mutation, MutationResult } from '../../shared/protocol';
import { HOLDS_SLOT, minutes, type Booking } from './doctor-bookings';
import { conflictRecord, raiseAlert, type DecideContext } from './plan';
import { rowKey, type WireRow } from './rows';

const SLOT_FIELDS = ['doctorId', 'scheduledAt', 'durationMinutes'] as const;

/** Whether this version of the appointment takes a slot it did not hold before. */
function takesNewSlot(before: WireRow | undefined, row: WireRow): boolean {
  if (!before || !HOLDS_SLOT.has(String(before.status)) || before.deletedAt !== null) return true;
  return SLOT_FIELDS.some((field) => before[field] !== row[field]);
}

export function applySlotRule(
  ctx: DecideContext,
  mutation: Mutation,
  row: WireRow,
  result: MutationResult,
) {
  for (const slots of ctx.state.bookings.values()) slots.delete(row.id);
  const doctorId = row.doctorId;
  if (typeof doctorId !== 'string' || !HOLDS_SLOT.has(String(row.status)) || row.deletedAt !== null)
    return;
  const start = Date.parse(String(row.scheduledAt));
  const end = start + minutes(row.durationMinutes);
  const slots = ctx.state.bookings.get(doctorId) ?? new Map<string, Booking>();
  ctx.state.bookings.set(doctorId, slots);
  const clash = [...slots.values()].find((other) => other.start < end && other.end > start);
  slots.set(row.id, { id: row.id, patientId: String(row.patientId), start, end });
  const before = ctx.state.rows.get(rowKey(mutation.table, row.id));
  if (!clash || !takesNewSlot(before, row)) return;
  const otherScheduledAt = new Date(clash.start).toISOString();
  result.status = 'conflict';
  result.reason = {
    code: 'slot_taken',
    message:
      'The doctor already has an appointment at that time, booked on another desk; both were kept. Move one of them.',
  };
  ctx.plan.conflicts.push(
    conflictRecord(
      ctx,
      mutation,
      'slot_taken',
      { scheduledAt: row.scheduledAt },
      { otherAppointmentId: clash.id, otherScheduledAt },
      row.version,
    ),
  );
  raiseAlert(
    ctx,
    mutation,
    'slot_taken',
    { visitId: null, patientId: row.patientId },
    {
      appointmentId: row.id,
      doctorId,
      scheduledAt: row.scheduledAt,
      durationMinutes: row.durationMinutes,
      otherAppointmentId: clash.id,
      otherPatientId: clash.patientId,
      otherScheduledAt,
      otherDurationMinutes: (clash.end - clash.start) / 60_000,
    },
  );
}

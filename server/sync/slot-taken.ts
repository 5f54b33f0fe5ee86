/**
 * Slot taken (issue 13): a doctor sees one patient at a time. Two reception desks offline can
 * each book the same slot, since each checks only the appointments it holds; the server checks
 * again when the bookings meet. The later booking is kept (nothing a desk promised a patient is
 * dropped), answered as a `slot_taken` conflict, and an alert asks reception to move one.
 */
import type pg from 'pg';
import type { Mutation, MutationResult } from '../../shared/protocol';
import type { PreparedMutation } from './prepare';
import { conflictRecord, raiseAlert, type DecideContext } from './plan';
import { rowKey, type WireRow } from './rows';

export interface Booking {
  id: string;
  patientId: string;
  start: number;
  end: number;
}

/** doctorId → appointment id → the slot it holds. */
export type Bookings = Map<string, Map<string, Booking>>;

/** Statuses that hold a slot: a cancelled, missed or finished appointment frees it. */
const HOLDS_SLOT = new Set(['scheduled', 'checked_in']);
const DAY_MS = 86_400_000;
const minutes = (value: unknown) => (typeof value === 'number' ? value : 0) * 60_000;

type Prepared = Extract<PreparedMutation, { ok: true }>;

/** The active appointments of the doctors the batch books, around the times it books. */
export async function loadBookings(
  client: pg.PoolClient,
  booked: readonly Prepared[],
  rows: ReadonlyMap<string, WireRow>,
): Promise<Bookings> {
  const bookings: Bookings = new Map();
  const wanted = booked.map((item) => {
    const current = rows.get(rowKey(item.shape.table.name, item.mutation.id));
    return {
      doctorId: item.data.doctorId ?? current?.doctorId,
      at: Date.parse(String(item.data.scheduledAt ?? current?.scheduledAt)),
    };
  });
  const doctors = [
    ...new Set(wanted.flatMap((w) => (typeof w.doctorId === 'string' ? [w.doctorId] : []))),
  ];
  const times = wanted.map((w) => w.at).filter((at) => Number.isFinite(at));
  if (doctors.length === 0 || times.length === 0) return bookings;
  // An appointment lasts at most 8 hours: a day either side finds every one it can overlap.
  const result = await client.query<{
    id: string;
    doctor_id: string;
    patient_id: string;
    starts_ms: number;
    duration_minutes: number;
  }>(
    `select id, doctor_id, patient_id, (extract(epoch from scheduled_at) * 1000)::float8 as starts_ms,
            duration_minutes from appointments
      where doctor_id = any($1::uuid[]) and status in ('scheduled', 'checked_in') and deleted_at is null
        and scheduled_at between $2 and $3`,
    [
      doctors,
      new Date(Math.min(...times) - DAY_MS).toISOString(),
      new Date(Math.max(...times) + DAY_MS).toISOString(),
    ],
  );
  for (const row of result.rows) {
    const start = row.starts_ms;
    const slots = bookings.get(row.doctor_id) ?? new Map<string, Booking>();
    slots.set(row.id, {
      id: row.id,
      patientId: row.patient_id,
      start,
      end: start + minutes(row.duration_minutes),
    });
    bookings.set(row.doctor_id, slots);
  }
  return bookings;
}

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

/**
 * The doctors' booked slots a batch's appointments are checked against (server/sync/slot-taken.ts),
 * loaded before any decision (server/sync/batch-state.ts).
 */
import type pg from 'pg';
import type { PreparedMutation } from './prepare';
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
export const HOLDS_SLOT = new Set(['scheduled', 'checked_in']);
const DAY_MS = 86_400_000;
export const minutes = (value: unknown) => (typeof value === 'number' ? value : 0) * 60_000;

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

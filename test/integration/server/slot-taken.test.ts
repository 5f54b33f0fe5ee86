/**
 * Slot taken on the real server (issue 13): two reception desks offline book one doctor at the
 * same time. The server keeps both bookings, answers the later one `conflict` / `slot_taken`,
 * keeps a conflict record, and raises a `slot_taken` alert so reception moves one of them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoUserId } from '../../../db/seed/demo-data';
import type { Mutation } from '../../../shared/protocol';
import {
  demoRow,
  doctorId,
  enroll,
  mutation,
  push,
  pushOne,
  receptionId,
  startTestServer,
  type Device,
  type TestServer,
} from './harness';

let server: TestServer;
let frontDesk: Device;
let outpatientDesk: Device;
const patientId = () => demoRow('patients', 3).id;

beforeAll(async () => {
  server = await startTestServer();
  frontDesk = await enroll(server);
  outpatientDesk = await enroll(server);
});
afterAll(async () => {
  await server.close();
});

const query = async (text: string, values: unknown[] = []) =>
  (await server.database.db.$client.query(text, values)).rows as Record<string, unknown>[];

function booking(
  scheduledAt: string,
  overrides: Record<string, unknown> = {},
  id = randomUUID(),
): Mutation {
  return mutation({
    table: 'appointments',
    op: 'insert',
    id,
    userId: receptionId,
    data: {
      patientId: patientId(),
      doctorId,
      scheduledAt,
      durationMinutes: 20,
      status: 'scheduled',
      reason: 'Clinic',
      checkedInAt: null,
      cancellationReason: null,
      ...overrides,
    },
  });
}

describe('two desks book one doctor offline', () => {
  test('the later overlapping booking is kept, answered slot_taken, recorded and alerted', async () => {
    const first = booking('2026-12-02T10:00:00.000Z');
    const second = booking('2026-12-02T10:10:00.000Z');
    expect(await pushOne(server, frontDesk, first)).toMatchObject({ status: 'applied' });
    const result = await pushOne(server, outpatientDesk, second);
    expect(result).toMatchObject({
      status: 'conflict',
      version: 1,
      reason: { code: 'slot_taken' },
      serverRow: { id: second.id, scheduledAt: '2026-12-02T10:10:00.000Z', status: 'scheduled' },
    });
    const kept = await query('select id from appointments where id = any($1::uuid[])', [
      [first.id, second.id],
    ]);
    expect(kept).toHaveLength(2);
    const [conflict] = await query(
      "select losing_values, server_values from sync_conflicts where row_id = $1 and reason_code = 'slot_taken'",
      [second.id],
    );
    expect(conflict).toMatchObject({
      losing_values: { scheduledAt: '2026-12-02T10:10:00.000Z' },
      server_values: { otherAppointmentId: first.id, otherScheduledAt: '2026-12-02T10:00:00.000Z' },
    });
    const alerts = await query(
      "select patient_id, details from clinical_alerts where kind = 'slot_taken' and details->>'appointmentId' = $1",
      [second.id],
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      patient_id: patientId(),
      details: {
        doctorId,
        otherAppointmentId: first.id,
        scheduledAt: '2026-12-02T10:10:00.000Z',
        otherScheduledAt: '2026-12-02T10:00:00.000Z',
      },
    });
  });

  test('back-to-back, another doctor, or a cancelled slot is no clash', async () => {
    const otherDoctor = demoUserId('manager@hass.example');
    const results = await push(server, frontDesk, [
      booking('2026-12-03T10:00:00.000Z'),
      booking('2026-12-03T10:20:00.000Z'),
      booking('2026-12-03T10:00:00.000Z', { doctorId: otherDoctor }),
      booking('2026-12-03T11:00:00.000Z', { status: 'cancelled', cancellationReason: 'Ill' }),
      booking('2026-12-03T11:00:00.000Z'),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'applied',
      'applied',
      'applied',
      'applied',
      'applied',
    ]);
  });

  test('within one push the second booking of a slot is the one answered slot_taken', async () => {
    const results = await push(server, frontDesk, [
      booking('2026-12-04T09:00:00.000Z'),
      booking('2026-12-04T09:05:00.000Z', { durationMinutes: 5 }),
    ]);
    expect(results.map((r) => [r.status, r.reason?.code])).toEqual([
      ['applied', undefined],
      ['conflict', 'slot_taken'],
    ]);
  });

  test('moving an appointment into a taken slot is a clash; checking in a double-booked one is not raised again', async () => {
    const taken = booking('2026-12-05T14:00:00.000Z');
    const moved = booking('2026-12-05T15:00:00.000Z');
    await push(server, frontDesk, [taken, moved]);
    const move = await pushOne(
      server,
      outpatientDesk,
      mutation({
        table: 'appointments',
        op: 'update',
        id: moved.id,
        userId: receptionId,
        baseVersion: 1,
        data: { scheduledAt: '2026-12-05T14:10:00.000Z' },
      }),
    );
    expect(move).toMatchObject({ status: 'conflict', version: 2, reason: { code: 'slot_taken' } });
    const alertsBefore = await query(
      "select count(*)::int as n from clinical_alerts where kind = 'slot_taken'",
    );
    const checkIn = await pushOne(
      server,
      frontDesk,
      mutation({
        table: 'appointments',
        op: 'update',
        id: moved.id,
        userId: receptionId,
        baseVersion: 2,
        data: { status: 'checked_in', checkedInAt: '2026-12-05T14:05:00.000Z' },
      }),
    );
    expect(checkIn).toMatchObject({ status: 'applied', version: 3 });
    expect(
      await query("select count(*)::int as n from clinical_alerts where kind = 'slot_taken'"),
    ).toEqual(alertsBefore);
  });
});

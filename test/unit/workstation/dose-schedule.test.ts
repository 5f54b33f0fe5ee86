/**
 * The dose schedule read from a prescription's free-text frequency. Times are the workstation's
 * local clock, so each block fixes the process time zone: Nairobi (UTC+3, no daylight saving)
 * proves the times are local rather than UTC; London covers the daylight-saving changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeSchedule,
  parseFrequency,
  scheduledDoses,
  type DoseSchedule,
} from '../../../shared/dose-schedule';

function inTimeZone(zone: string): void {
  const before = process.env.TZ;
  beforeAll(() => {
    // Node re-reads TZ on assignment; vitest runs each test file in its own process (pool: forks).
    process.env.TZ = zone;
  });
  afterAll(() => {
    process.env.TZ = before;
  });
}

const hours = (schedule: DoseSchedule) =>
  schedule.kind === 'daily'
    ? schedule.times.map(
        (t) => `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`,
      )
    : schedule.kind;

describe('reading a frequency', () => {
  it.each([
    ['once daily', ['08:00']],
    ['OD', ['08:00']],
    ['o.d.', ['08:00']],
    ['Daily', ['08:00']],
    ['mane', ['08:00']],
    ['  Once a day ', ['08:00']],
    ['nocte', ['22:00']],
    ['At night', ['22:00']],
    ['ON', ['22:00']],
    ['BD', ['08:00', '20:00']],
    ['b.d.', ['08:00', '20:00']],
    ['B.I.D', ['08:00', '20:00']],
    ['twice daily', ['08:00', '20:00']],
    ['Twice a day', ['08:00', '20:00']],
    ['TDS', ['08:00', '14:00', '22:00']],
    ['t.d.s.', ['08:00', '14:00', '22:00']],
    ['Three times daily', ['08:00', '14:00', '22:00']],
    ['3 times a day', ['08:00', '14:00', '22:00']],
    ['TID', ['08:00', '14:00', '22:00']],
    ['QDS', ['08:00', '12:00', '18:00', '22:00']],
    ['q.d.s', ['08:00', '12:00', '18:00', '22:00']],
    ['four times daily', ['08:00', '12:00', '18:00', '22:00']],
    ['QID', ['08:00', '12:00', '18:00', '22:00']],
    ['every 6 hours', ['00:00', '06:00', '12:00', '18:00']],
    ['Every 6 hrs', ['00:00', '06:00', '12:00', '18:00']],
    ['q6h', ['00:00', '06:00', '12:00', '18:00']],
    ['Q 6 H', ['00:00', '06:00', '12:00', '18:00']],
    ['6-hourly', ['00:00', '06:00', '12:00', '18:00']],
    ['6 hourly', ['00:00', '06:00', '12:00', '18:00']],
    ['4hrly', ['00:00', '04:00', '08:00', '12:00', '16:00', '20:00']],
    ['8 hourly', ['00:00', '08:00', '16:00']],
    ['12-hourly', ['00:00', '12:00']],
    ['every 24 hours', ['00:00']],
    ['q1h', Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`)],
    ['hourly', Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`)],
  ])('%j is given at %j', (text, expected) => {
    expect(hours(parseFrequency(text))).toEqual(expected);
  });

  it.each([
    ['STAT', { kind: 'once' }],
    ['stat.', { kind: 'once' }],
    ['Once only', { kind: 'once' }],
    ['once', { kind: 'once' }],
    ['PRN', { kind: 'as_needed' }],
    ['p.r.n.', { kind: 'as_needed' }],
    ['As needed', { kind: 'as_needed' }],
    ['as required', { kind: 'as_needed' }],
    ['4 hourly PRN', { kind: 'as_needed' }],
    ['QDS prn for pain', { kind: 'as_needed' }],
    ['weekly', { kind: 'weekly', time: { hour: 8, minute: 0 } }],
    ['Once a week', { kind: 'weekly', time: { hour: 8, minute: 0 } }],
    ['every 5 hours', { kind: 'interval', everyHours: 5 }],
    ['q7h', { kind: 'interval', everyHours: 7 }],
    ['every 36 hours', { kind: 'unscheduled' }],
    ['every 0 hours', { kind: 'unscheduled' }],
    ['q25h', { kind: 'unscheduled' }],
    ['every 4 to 6 hours', { kind: 'unscheduled' }],
    ['with meals', { kind: 'unscheduled' }],
    ['TDS with food', { kind: 'unscheduled' }],
    ['alternate days', { kind: 'unscheduled' }],
    ['', { kind: 'unscheduled' }],
    ['bdx', { kind: 'unscheduled' }],
  ])('%j reads as %j', (text, expected) => {
    expect(parseFrequency(text)).toEqual(expected);
  });

  it('reads back in words a nurse can check against the chart', () => {
    expect(describeSchedule(parseFrequency('TDS'))).toBe('08:00, 14:00, 22:00');
    expect(describeSchedule(parseFrequency('q1h'))).toBe('every 1 h');
    expect(describeSchedule(parseFrequency('q5h'))).toBe('every 5 h from 00:00');
    expect(describeSchedule(parseFrequency('PRN'))).toBe('as needed');
    expect(describeSchedule(parseFrequency('whenever'))).toBe('check frequency');
  });
});

describe('scheduled doses on a ward three hours ahead of UTC (Nairobi)', () => {
  inTimeZone('Africa/Nairobi');
  // 23 Nov 2026 00:00 local is 22 Nov 21:00 UTC.
  const tds = { frequency: 'TDS', startsAt: '2026-11-20T05:00:00.000Z', endsAt: null };

  it('places TDS at 08:00, 14:00 and 22:00 local time', () => {
    expect(scheduledDoses(tds, '2026-11-22T21:00:00.000Z', '2026-11-23T20:59:59.999Z')).toEqual([
      '2026-11-23T05:00:00.000Z',
      '2026-11-23T11:00:00.000Z',
      '2026-11-23T19:00:00.000Z',
    ]);
  });

  it('includes both ends of the window', () => {
    expect(scheduledDoses(tds, '2026-11-23T05:00:00.000Z', '2026-11-23T11:00:00.000Z')).toEqual([
      '2026-11-23T05:00:00.000Z',
      '2026-11-23T11:00:00.000Z',
    ]);
    expect(scheduledDoses(tds, '2026-11-23T05:00:00.001Z', '2026-11-23T10:59:59.999Z')).toEqual([]);
  });

  it('crosses midnight into the next local day', () => {
    const bd = { frequency: 'BD', startsAt: '2026-11-01T00:00:00.000Z', endsAt: null };
    // 22 Nov 19:00 local (16:00 UTC) to 23 Nov 09:00 local (06:00 UTC): 20:00 and 08:00 local.
    expect(scheduledDoses(bd, '2026-11-22T16:00:00.000Z', '2026-11-23T06:00:00.000Z')).toEqual([
      '2026-11-22T17:00:00.000Z',
      '2026-11-23T05:00:00.000Z',
    ]);
  });

  it('gives no dose before the prescription starts nor from its end', () => {
    // Prescribed at 10:30 local: the first TDS dose is 14:00, the 08:00 one is not owed.
    const started = {
      frequency: 'TDS',
      startsAt: '2026-11-23T07:30:00.000Z',
      endsAt: '2026-11-24T05:00:00.000Z',
    };
    expect(scheduledDoses(started, '2026-11-22T21:00:00.000Z', '2026-11-24T20:59:59.999Z')).toEqual(
      ['2026-11-23T11:00:00.000Z', '2026-11-23T19:00:00.000Z'],
    );
  });

  it('ends after the duration when no end is set', () => {
    const course = {
      frequency: 'OD',
      startsAt: '2026-11-21T04:00:00.000Z',
      endsAt: null,
      durationDays: 2,
    };
    // 07:00 local on the 21st: doses 08:00 on the 21st and 22nd; the 23rd 08:00 is after the 2 days.
    expect(scheduledDoses(course, '2026-11-20T00:00:00.000Z', '2026-11-25T00:00:00.000Z')).toEqual([
      '2026-11-21T05:00:00.000Z',
      '2026-11-22T05:00:00.000Z',
    ]);
  });

  it('gives STAT once at the start, PRN and unknown text never', () => {
    const window = ['2026-11-23T00:00:00.000Z', '2026-11-24T00:00:00.000Z'] as const;
    const stat = { frequency: 'STAT', startsAt: '2026-11-23T09:17:00.000Z', endsAt: null };
    expect(scheduledDoses(stat, ...window)).toEqual(['2026-11-23T09:17:00.000Z']);
    expect(scheduledDoses({ ...stat, startsAt: '2026-11-22T09:17:00.000Z' }, ...window)).toEqual(
      [],
    );
    expect(scheduledDoses({ ...stat, frequency: 'PRN' }, ...window)).toEqual([]);
    expect(scheduledDoses({ ...stat, frequency: 'when the family visits' }, ...window)).toEqual([]);
  });

  it('counts every N hours from local midnight', () => {
    const q6h = { frequency: 'q6h', startsAt: '2026-11-20T00:00:00.000Z', endsAt: null };
    expect(scheduledDoses(q6h, '2026-11-22T21:00:00.000Z', '2026-11-23T20:59:59.999Z')).toEqual([
      '2026-11-22T21:00:00.000Z',
      '2026-11-23T03:00:00.000Z',
      '2026-11-23T09:00:00.000Z',
      '2026-11-23T15:00:00.000Z',
    ]);
  });

  it('runs every 5 hours on from 00:00 of the first day, across days', () => {
    // Starts 21 Nov 10:00 local: anchored at 21 Nov 00:00 local, doses 10:00, 15:00, 20:00, 01:00…
    const q5h = { frequency: 'every 5 hours', startsAt: '2026-11-21T07:00:00.000Z', endsAt: null };
    expect(scheduledDoses(q5h, '2026-11-21T07:00:00.000Z', '2026-11-21T23:00:00.000Z')).toEqual([
      '2026-11-21T07:00:00.000Z',
      '2026-11-21T12:00:00.000Z',
      '2026-11-21T17:00:00.000Z',
      '2026-11-21T22:00:00.000Z',
    ]);
  });

  it('gives a weekly dose at 08:00 on the weekday it started', () => {
    // Monday 2 Nov 2026, 12:00 local: next doses Monday 9, 16 Nov at 08:00 local.
    const weekly = { frequency: 'weekly', startsAt: '2026-11-02T09:00:00.000Z', endsAt: null };
    expect(scheduledDoses(weekly, '2026-11-01T00:00:00.000Z', '2026-11-17T00:00:00.000Z')).toEqual([
      '2026-11-09T05:00:00.000Z',
      '2026-11-16T05:00:00.000Z',
    ]);
  });

  it('returns nothing for an empty or backwards window', () => {
    expect(scheduledDoses(tds, '2026-11-24T00:00:00.000Z', '2026-11-23T00:00:00.000Z')).toEqual([]);
    expect(
      scheduledDoses(
        { ...tds, startsAt: 'not a date' },
        '2026-11-23T00:00:00.000Z',
        '2026-11-24T00:00:00.000Z',
      ),
    ).toEqual([]);
  });
});

describe('scheduled doses across daylight-saving changes (London)', () => {
  inTimeZone('Europe/London');

  it('keeps TDS on the wall clock on both sides of the spring change', () => {
    // 29 Mar 2026 01:00 GMT the clocks go forward: 08:00 BST is 07:00 UTC from that day.
    const tds = { frequency: 'TDS', startsAt: '2026-03-01T00:00:00.000Z', endsAt: null };
    expect(scheduledDoses(tds, '2026-03-28T00:00:00.000Z', '2026-03-29T23:00:00.000Z')).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-28T14:00:00.000Z',
      '2026-03-28T22:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-29T13:00:00.000Z',
      '2026-03-29T21:00:00.000Z',
    ]);
  });

  it('gives hourly doses by the wall clock: 23 on the short day, no double at the missing hour', () => {
    const hourly = { frequency: 'hourly', startsAt: '2026-03-01T00:00:00.000Z', endsAt: null };
    const doses = scheduledDoses(hourly, '2026-03-29T00:00:00.000Z', '2026-03-29T22:59:59.999Z');
    expect(doses).toHaveLength(23);
    expect(new Set(doses).size).toBe(23);
  });

  it('keeps QDS on the wall clock in the autumn change', () => {
    // 25 Oct 2026 02:00 BST the clocks go back: 08:00 GMT is 08:00 UTC that day.
    const qds = { frequency: 'QDS', startsAt: '2026-10-01T00:00:00.000Z', endsAt: null };
    expect(scheduledDoses(qds, '2026-10-24T23:00:00.000Z', '2026-10-25T23:59:59.999Z')).toEqual([
      '2026-10-25T08:00:00.000Z',
      '2026-10-25T12:00:00.000Z',
      '2026-10-25T18:00:00.000Z',
      '2026-10-25T22:00:00.000Z',
    ]);
  });
});

/**
 * When a prescription's doses fall due, read from its free-text frequency (issue 6).
 *
 * Only the frequencies wards actually write are understood; anything else is `unscheduled` and
 * the screens say "check frequency" rather than guess a time for a drug. PRN doses are never due.
 *
 * Times are ward clock times, computed in the time zone of the machine running this code (the
 * workstation's own clock, through `Date`'s local-time methods). A workstation stands on the ward
 * it serves, and the drug round follows the wall clock on that ward, including across a
 * daylight-saving change: "TDS" is 08:00, 14:00 and 22:00 local on both sides of it.
 */

export interface ClockTime {
  hour: number;
  minute: number;
}

export type DoseSchedule =
  /** The same clock times every day (OD, BD, TDS, QDS, nocte, and every N hours when N divides 24). */
  | { kind: 'daily'; times: ClockTime[] }
  /** Every N hours of elapsed time from 00:00 on the day the prescription starts (N does not divide 24). */
  | { kind: 'interval'; everyHours: number }
  /** Once a week, 08:00 on the weekday the prescription starts. */
  | { kind: 'weekly'; time: ClockTime }
  /** STAT or once: one dose at the moment the prescription starts. */
  | { kind: 'once' }
  /** PRN: given when needed, never due. */
  | { kind: 'as_needed' }
  /** Text we do not understand: a nurse must check the prescription. */
  | { kind: 'unscheduled' };

const at = (hour: number): ClockTime => ({ hour, minute: 0 });
const daily = (...hours: number[]): DoseSchedule => ({ kind: 'daily', times: hours.map(at) });

const NAMED: Record<string, DoseSchedule> = {};
function name(schedule: DoseSchedule, ...phrases: string[]): void {
  for (const phrase of phrases) NAMED[phrase] = schedule;
}
name(
  daily(8),
  'od',
  'o d',
  'once daily',
  'once a day',
  'once per day',
  'daily',
  'every day',
  'mane',
  'om',
  'qd',
  'every morning',
  'in the morning',
  'morning',
);
name(daily(22), 'nocte', 'on', 'at night', 'every night', 'night', 'at bedtime', 'bedtime', 'qhs');
name(
  daily(8, 20),
  'bd',
  'b d',
  'bid',
  'b i d',
  'twice daily',
  'twice a day',
  'twice per day',
  'two times daily',
  'two times a day',
  '2 times daily',
  '2 times a day',
  '2x daily',
  'x2 daily',
);
name(
  daily(8, 14, 22),
  'tds',
  't d s',
  'tid',
  't i d',
  'three times daily',
  'three times a day',
  'three times per day',
  '3 times daily',
  '3 times a day',
  '3x daily',
  'x3 daily',
  'thrice daily',
);
name(
  daily(8, 12, 18, 22),
  'qds',
  'q d s',
  'qid',
  'q i d',
  'four times daily',
  'four times a day',
  'four times per day',
  '4 times daily',
  '4 times a day',
  '4x daily',
  'x4 daily',
);
name(
  { kind: 'weekly', time: at(8) },
  'weekly',
  'once weekly',
  'once a week',
  'once per week',
  'every week',
);
name(
  { kind: 'once' },
  'stat',
  'once',
  'once only',
  'stat dose',
  'single dose',
  'one dose',
  'immediately',
);
name(
  daily(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23),
  'hourly',
  'every hour',
  'qh',
);

const AS_NEEDED =
  /\b(prn|p r n|as needed|as required|when required|when needed|if needed|if required)\b/;
const EVERY_N_HOURS = [
  /^every (\d{1,2}) ?(?:hours?|hrs?|h)$/,
  /^q ?(\d{1,2}) ?(?:hours?|hrs?|h)$/,
  /^(\d{1,2}) ?(?:hourly|hrly|hly)$/,
];

/** Lower case, punctuation as spaces, single spaces: "T.D.S." and "tds" read the same. */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/ +/g, ' ');
}

function collapseLetters(text: string): string {
  // "b d" and "t d s" written with dots come out spaced; single letters are joined back up.
  return /^([a-z] )+[a-z]$/.test(text) ? text.replace(/ /g, '') : text;
}

// A ward writes a handful of frequencies; the board reads them every poll for every bed.
const parsed = new Map<string, DoseSchedule>();
const PARSED_KEPT = 1000;

export function parseFrequency(text: string): DoseSchedule {
  let schedule = parsed.get(text);
  if (!schedule) {
    if (parsed.size >= PARSED_KEPT) parsed.clear();
    schedule = readFrequency(text);
    parsed.set(text, schedule);
  }
  return schedule;
}

function readFrequency(text: string): DoseSchedule {
  const words = normalise(text);
  if (AS_NEEDED.test(words)) return { kind: 'as_needed' };
  const named = NAMED[words] ?? NAMED[collapseLetters(words)];
  if (named) return named;
  for (const pattern of EVERY_N_HOURS) {
    const match = pattern.exec(words);
    if (match) return everyHours(Number(match[1]));
  }
  return { kind: 'unscheduled' };
}

function everyHours(hours: number): DoseSchedule {
  if (!Number.isInteger(hours) || hours < 1 || hours > 24) return { kind: 'unscheduled' };
  if (24 % hours !== 0) return { kind: 'interval', everyHours: hours };
  return daily(...Array.from({ length: 24 / hours }, (_, i) => i * hours));
}

/** Whether a schedule ever makes a dose due (PRN and unknown text never do). */
export function isScheduled(schedule: DoseSchedule): boolean {
  return schedule.kind !== 'as_needed' && schedule.kind !== 'unscheduled';
}

export interface SchedulablePrescription {
  frequency: string;
  startsAt: string;
  endsAt: string | null;
  durationDays?: number | null;
}

const DAY_MS = 86_400_000;
// A window longer than this is a programming error, not a ward's question; it also bounds the loop.
const MAX_WINDOW_DAYS = 400;

/** When the prescription stops: its end, else its start plus its duration, else never. */
export function prescriptionEnd(prescription: SchedulablePrescription): number {
  if (prescription.endsAt) return Date.parse(prescription.endsAt);
  if (prescription.durationDays)
    return Date.parse(prescription.startsAt) + prescription.durationDays * DAY_MS;
  return Number.POSITIVE_INFINITY;
}

/**
 * The instants (ISO-8601 UTC, ascending) at which doses are scheduled within [from, to], both
 * ends included, and within the prescription's life (from its start, before its end).
 */
export function scheduledDoses(
  prescription: SchedulablePrescription,
  fromIso: string,
  toIso: string,
): string[] {
  const starts = Date.parse(prescription.startsAt);
  const from = Math.max(Date.parse(fromIso), starts);
  const to = Math.min(Date.parse(toIso), prescriptionEnd(prescription) - 1);
  if (!(from <= to)) return [];
  if (to - from > MAX_WINDOW_DAYS * DAY_MS)
    throw new RangeError('scheduledDoses: window longer than 400 days');
  const inWindow = (instant: number) => instant >= from && instant <= to;
  const schedule = parseFrequency(prescription.frequency);
  switch (schedule.kind) {
    case 'as_needed':
    case 'unscheduled':
      return [];
    case 'once':
      return inWindow(starts) ? [new Date(starts).toISOString()] : [];
    case 'daily':
      return unique(
        localDays(from, to).flatMap((day) => schedule.times.map((time) => atClock(day, time))),
      )
        .filter(inWindow)
        .map(asIso);
    case 'weekly': {
      const weekday = new Date(starts).getDay();
      const days = localDays(from, to).filter((day) => day.getDay() === weekday);
      return days
        .map((day) => atClock(day, schedule.time))
        .filter(inWindow)
        .map(asIso);
    }
    case 'interval':
      return intervalDoses(startOfLocalDay(starts), schedule.everyHours * 3_600_000, from, to).map(
        asIso,
      );
  }
}

function intervalDoses(anchor: number, step: number, from: number, to: number): number[] {
  const first = anchor + Math.ceil((from - anchor) / step) * step;
  const doses: number[] = [];
  for (let instant = first; instant <= to; instant += step) doses.push(instant);
  return doses;
}

/** Local midnights of every calendar day that [from, to] touches. */
function localDays(from: number, to: number): Date[] {
  const first = new Date(startOfLocalDay(from));
  const days: Date[] = [];
  for (let i = 0; ; i += 1) {
    // Built from the calendar date, not by adding 24 h: days are 23 or 25 h long around DST changes.
    const day = new Date(first.getFullYear(), first.getMonth(), first.getDate() + i);
    if (day.getTime() > to) return days;
    days.push(day);
  }
}

function startOfLocalDay(instant: number): number {
  const date = new Date(instant);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

// A clock time that does not exist on a spring-forward day (02:00 → 03:00) lands an hour later,
// as Date does; `unique` then drops it if that hour is a dose time too.
function atClock(day: Date, time: ClockTime): number {
  return new Date(
    day.getFullYear(),
    day.getMonth(),
    day.getDate(),
    time.hour,
    time.minute,
  ).getTime();
}

function unique(instants: number[]): number[] {
  return [...new Set(instants)].sort((a, b) => a - b);
}

const asIso = (instant: number) => new Date(instant).toISOString();

/** How the frequency reads back to a nurse, e.g. "08:00, 14:00, 22:00" or "as needed". */
export function describeSchedule(schedule: DoseSchedule): string {
  const clock = (time: ClockTime) =>
    `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
  switch (schedule.kind) {
    case 'daily':
      return schedule.times.length > 6
        ? `every ${String(24 / schedule.times.length)} h`
        : schedule.times.map(clock).join(', ');
    case 'interval':
      return `every ${String(schedule.everyHours)} h from 00:00`;
    case 'weekly':
      return `weekly at ${clock(schedule.time)}`;
    case 'once':
      return 'once, at the start';
    case 'as_needed':
      return 'as needed';
    case 'unscheduled':
      return 'check frequency';
  }
}

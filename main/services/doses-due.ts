/**
 * Which scheduled doses are owed, for a whole ward (the board) or one stay (the chart's MAR).
 *
 * A dose is due when an active prescription of an admitted stay schedules it (shared/dose-schedule)
 * within [now − 2 h, now + 1 h] and nothing is charted for that prescription and time: given,
 * held and refused all answer the dose; an entry later marked as entered in error does not.
 * Two statements per call whatever the number of beds, prepared once per database.
 */
import { parseFrequency, prescriptionEnd, scheduledDoses } from '../../shared/dose-schedule';
import type { ADMINISTRATION_STATUSES } from '../../shared/schemas/medications';
import type { ReadStatement, ReplicaReader } from './replica-reader';

type AdministrationStatus = (typeof ADMINISTRATION_STATUSES)[number];

const HOUR = 3_600_000;
export const DUE_WINDOW = { beforeMs: 2 * HOUR, afterMs: 1 * HOUR };
/** Half an hour past its time a dose is late: the drug round has moved on without it. */
export const OVERDUE_AFTER_MS = 30 * 60_000;
const NEXT_SHOWN = 3;

export type DoseScope = { wardId: string } | { visitId: string };

/**
 * `due` and `overdue` are what the board counts; `missed` is older than the board's window and
 * uncharted (the chart still offers it, to record why it was not given); `upcoming` is later.
 */
export type DoseState = 'charted' | 'missed' | 'overdue' | 'due' | 'upcoming';

export interface ScheduledDose {
  prescriptionId: string;
  visitId: string;
  drug: string;
  dose: string;
  route: string;
  scheduledFor: string;
  state: DoseState;
  /** What was charted for this dose, if anything (the live entry, not one entered in error). */
  charted: { administrationId: string; status: AdministrationStatus } | null;
}

export interface MedsDue {
  count: number;
  overdue: number;
  /** The earliest few, overdue first since they are the earliest. */
  next: Pick<ScheduledDose, 'prescriptionId' | 'drug' | 'dose' | 'route' | 'scheduledFor'>[];
  /** Active prescriptions whose frequency could not be read: a nurse must check them. */
  unscheduled: number;
}

interface PrescriptionRow {
  id: string;
  visit_id: string;
  drug: string;
  dose: string;
  route: string;
  frequency: string;
  starts_at: string;
  ends_at: string | null;
  duration_days: number | null;
}

interface ChartedRow {
  id: string;
  prescription_id: string;
  scheduled_for: string;
  status: AdministrationStatus;
}

type Params = Record<string, string>;

interface ScopeStatements {
  prescriptions: ReadStatement<[Params], PrescriptionRow>;
  charted: ReadStatement<[Params], ChartedRow>;
}

const STAYS = {
  ward: `s.ward_id = @scope and s.status = 'admitted' and s.deleted_at is null`,
  visit: `s.id = @scope and s.status = 'admitted' and s.deleted_at is null`,
};

function prepareScope(db: ReplicaReader, stays: string): ScopeStatements {
  return {
    // Prescriptions alive at some point of the window; the schedule decides which doses fall in it.
    prescriptions: db.$client.prepare<[Params], PrescriptionRow>(
      `select p.id, p.visit_id, p.drug, p.dose, p.route, p.frequency, p.starts_at, p.ends_at, p.duration_days
         from visits s join prescriptions p on p.visit_id = s.id
        where ${stays} and p.status = 'active' and p.deleted_at is null
          and p.starts_at <= @to and (p.ends_at is null or p.ends_at > @from)
        order by p.starts_at, p.id`,
    ),
    charted: db.$client.prepare<[Params], ChartedRow>(
      `select m.id, m.prescription_id, m.scheduled_for, m.status
         from visits s join medication_administrations m on m.visit_id = s.id
        where ${stays} and m.scheduled_for between @from and @to and m.deleted_at is null
          and not exists (select 1 from medication_administrations c where c.entered_in_error_id = m.id)`,
    ),
  };
}

const prepared = new WeakMap<
  ReplicaReader['$client'],
  { ward: ScopeStatements; visit: ScopeStatements }
>();

function statementsFor(db: ReplicaReader, scope: DoseScope): ScopeStatements {
  let statements = prepared.get(db.$client);
  if (!statements) {
    statements = { ward: prepareScope(db, STAYS.ward), visit: prepareScope(db, STAYS.visit) };
    prepared.set(db.$client, statements);
  }
  return 'wardId' in scope ? statements.ward : statements.visit;
}

/**
 * Every dose scheduled in [from, to] for the scope's admitted stays, earliest first, with what was
 * charted for it. PRN and unreadable frequencies schedule nothing.
 */
export function listScheduledDoses(
  db: ReplicaReader,
  scope: DoseScope,
  window: { from: Date; to: Date; now: Date },
): { doses: ScheduledDose[]; prescriptions: PrescriptionRow[] } {
  const statements = statementsFor(db, scope);
  const params = {
    scope: 'wardId' in scope ? scope.wardId : scope.visitId,
    from: window.from.toISOString(),
    to: window.to.toISOString(),
  };
  const prescriptions = statements.prescriptions.all(params);
  if (prescriptions.length === 0) return { doses: [], prescriptions };
  const charted = new Map(
    statements.charted
      .all(params)
      .map((row) => [`${row.prescription_id}|${row.scheduled_for}`, row]),
  );
  const now = window.now.getTime();
  const dosesOf = dosesInWindow(params.from, params.to);
  const doses = prescriptions.flatMap((p) =>
    dosesOf(p).map((scheduledFor): ScheduledDose => {
      const entry = charted.get(`${p.id}|${scheduledFor}`);
      return {
        prescriptionId: p.id,
        visitId: p.visit_id,
        drug: p.drug,
        dose: p.dose,
        route: p.route,
        scheduledFor,
        state: entry ? 'charted' : stateAt(Date.parse(scheduledFor), now),
        charted: entry ? { administrationId: entry.id, status: entry.status } : null,
      };
    }),
  );
  doses.sort((a, b) => compareText(a.scheduledFor, b.scheduledFor) || compareText(a.drug, b.drug));
  return { doses, prescriptions };
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The window's doses of each prescription. Daily clock times in one window are the same for every
 * prescription with that frequency, so they are computed once per frequency and cut to each
 * prescription's start and end (what scheduledDoses does itself); other kinds depend on the start.
 */
function dosesInWindow(from: string, to: string) {
  const daily = new Map<string, string[]>();
  return (p: PrescriptionRow): string[] => {
    const prescription = {
      frequency: p.frequency,
      startsAt: p.starts_at,
      endsAt: p.ends_at,
      durationDays: p.duration_days,
    };
    if (parseFrequency(p.frequency).kind !== 'daily') return scheduledDoses(prescription, from, to);
    let times = daily.get(p.frequency);
    if (!times) {
      times = scheduledDoses({ frequency: p.frequency, startsAt: from, endsAt: null }, from, to);
      daily.set(p.frequency, times);
    }
    const starts = Date.parse(p.starts_at);
    const ends = prescriptionEnd(prescription);
    return times.filter((time) => {
      const instant = Date.parse(time);
      return instant >= starts && instant < ends;
    });
  };
}

function stateAt(scheduled: number, now: number): DoseState {
  if (scheduled < now - DUE_WINDOW.beforeMs) return 'missed';
  if (scheduled < now - OVERDUE_AFTER_MS) return 'overdue';
  return scheduled <= now + DUE_WINDOW.afterMs ? 'due' : 'upcoming';
}

/** Doses owed now, per admitted stay of the scope (visit id → summary); stays owing none are absent. */
export function getDosesDue(db: ReplicaReader, scope: DoseScope, now: Date): Map<string, MedsDue> {
  const from = new Date(now.getTime() - DUE_WINDOW.beforeMs);
  const to = new Date(now.getTime() + DUE_WINDOW.afterMs);
  const { doses, prescriptions } = listScheduledDoses(db, scope, { from, to, now });
  const byVisit = new Map<string, MedsDue>();
  const summaryOf = (visitId: string) => {
    let summary = byVisit.get(visitId);
    if (!summary) {
      summary = { count: 0, overdue: 0, next: [], unscheduled: 0 };
      byVisit.set(visitId, summary);
    }
    return summary;
  };
  for (const dose of doses) {
    if (dose.state === 'charted') continue;
    const summary = summaryOf(dose.visitId);
    summary.count += 1;
    if (dose.state === 'overdue') summary.overdue += 1;
    if (summary.next.length < NEXT_SHOWN) {
      const { prescriptionId, drug, dose: amount, route, scheduledFor } = dose;
      summary.next.push({ prescriptionId, drug, dose: amount, route, scheduledFor });
    }
  }
  for (const p of prescriptions) {
    if (parseFrequency(p.frequency).kind === 'unscheduled') summaryOf(p.visit_id).unscheduled += 1;
  }
  return byVisit;
}

/** What the chart's MAR offers to chart: the last day's doses and the next few hours'. */
export const CHART_WINDOW = { beforeMs: 24 * HOUR, afterMs: 6 * HOUR };

/** The stay's scheduled doses around now, for charting; none unless the stay is admitted. */
export function listChartDoses(
  db: ReplicaReader,
  visitId: string | null,
  now: Date,
): ScheduledDose[] {
  if (!visitId) return [];
  const window = {
    from: new Date(now.getTime() - CHART_WINDOW.beforeMs),
    to: new Date(now.getTime() + CHART_WINDOW.afterMs),
    now,
  };
  return listScheduledDoses(db, { visitId }, window).doses;
}

export const NO_MEDS_DUE: MedsDue = { count: 0, overdue: 0, next: [], unscheduled: 0 };

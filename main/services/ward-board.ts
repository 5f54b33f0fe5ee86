/**
 * The ward board: every bed of a ward with who is in it and their latest observations, in one
 * call, for the screen a nurse glances at all shift.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { ReplicaReader } from './replica-reader';
import { beds, patients, users, visits, wards } from '../../db/local/schema';
import { ALERT_KINDS } from '../../shared/clinical-alerts';
import { CLINICAL_ALERT_KINDS, type ClinicalAlertKind } from '../../shared/catalog/records';
import type { AbnormalFlag } from '../../shared/schemas/vitals';
import { refuse } from '../errors';
import { getDosesDue, NO_MEDS_DUE } from './doses-due';
import { vitalValues } from './vital-values';

export interface LatestVitals {
  id: string;
  recordedAt: string;
  temperatureC: number | null;
  heartRate: number | null;
  systolic: number | null;
  diastolic: number | null;
  respiratoryRate: number | null;
  spo2: number | null;
  abnormal: AbnormalFlag[];
}

export interface PendingLabs {
  count: number;
  /** Ordered stat or urgent. */
  urgent: number;
  oldestOrderedAt: string | null;
}

const NO_PENDING_LABS: PendingLabs = { count: 0, urgent: 0, oldestOrderedAt: null };

/** An open clinical alert as the bed card shows it: its title, and how urgent. */
export interface BedAlert {
  id: string;
  kind: ClinicalAlertKind;
  title: string;
  urgency: 'act_now' | 'sort_out';
}

export function listWards(db: ReplicaReader, hospitalId: string) {
  return db
    .select({
      id: wards.id,
      code: wards.code,
      name: wards.name,
      floor: wards.floor,
      bedCount: sql<number>`(select count(*) from beds b where b.ward_id = wards.id and b.deleted_at is null)`,
      occupiedCount: sql<number>`(select count(*) from visits v where v.ward_id = wards.id and v.status = 'admitted' and v.bed_id is not null and v.deleted_at is null)`,
    })
    .from(wards)
    .where(and(eq(wards.hospitalId, hospitalId), sql`${wards.deletedAt} is null`))
    .orderBy(asc(wards.code))
    .all();
}

// The board is polled all shift: its statements are prepared once per database, not per call.
const prepared = new WeakMap<ReplicaReader, ReturnType<typeof prepareBoard>>();

function prepareBoard(db: ReplicaReader) {
  return {
    ward: db
      .select()
      .from(wards)
      .where(eq(wards.id, sql.placeholder('wardId')))
      .prepare(),
    beds: db
      .select({ id: beds.id, number: beds.number, status: beds.status })
      .from(beds)
      .where(and(eq(beds.wardId, sql.placeholder('wardId')), sql`${beds.deletedAt} is null`))
      .orderBy(asc(beds.number))
      .prepare(),
    stays: db
      .select({
        visitId: visits.id,
        bedId: visits.bedId,
        admittedAt: visits.admittedAt,
        admissionReason: visits.admissionReason,
        attendingDoctor: users.fullName,
        patientId: patients.id,
        mrn: patients.mrn,
        firstName: patients.firstName,
        lastName: patients.lastName,
        dateOfBirth: patients.dateOfBirth,
        sex: patients.sex,
        allergies: patients.allergies,
      })
      .from(visits)
      .innerJoin(patients, eq(patients.id, visits.patientId))
      .leftJoin(users, eq(users.id, visits.attendingDoctorId))
      .where(
        and(
          eq(visits.wardId, sql.placeholder('wardId')),
          eq(visits.status, 'admitted'),
          sql`${visits.deletedAt} is null`,
        ),
      )
      .prepare(),
    latestVitals: latestVitalsStatement(db),
    pendingLabs: pendingLabsStatement(db),
    openAlerts: openAlertsStatement(db),
  };
}

function boardStatements(db: ReplicaReader) {
  let statements = prepared.get(db);
  if (!statements) {
    statements = prepareBoard(db);
    prepared.set(db, statements);
  }
  return statements;
}

// The newest reading of each stay on the ward that no later entry marked as entered in error: one
// statement for the whole ward rather than one per bed.
const latestVitalsStatement = (db: ReplicaReader) =>
  db.$client.prepare<[string], Record<string, unknown>>(
    `select v.visit_id, v.id, v.recorded_at, v.temperature_c, v.heart_rate, v.systolic, v.diastolic, v.respiratory_rate, v.spo2, v.abnormal
       from visits s
       join vitals v on v.id = (
              select x.id from vitals x
               where x.visit_id = s.id and x.deleted_at is null
                 and not exists (select 1 from vitals c where c.entered_in_error_id = x.id)
               order by x.recorded_at desc limit 1)
      where s.ward_id = ? and s.status = 'admitted' and s.deleted_at is null`,
  );

// Tests still waiting on the lab, per stay on the ward, in one grouped statement (lab_tests_visit_idx).
const pendingLabsStatement = (db: ReplicaReader) =>
  db.$client.prepare<[string], { visit_id: string; count: number; urgent: number; oldest: string }>(
    `select l.visit_id, count(*) as count, sum(l.urgency in ('stat', 'urgent')) as urgent, min(l.ordered_at) as oldest
       from visits s join lab_tests l on l.visit_id = s.id
      where s.ward_id = ? and s.status = 'admitted' and s.deleted_at is null
        and l.status in ('pending', 'accepted', 'in_progress') and l.deleted_at is null
      group by l.visit_id`,
  );

// Open alerts about the ward's patients, or about one of its beds (a bed clash names the bed), in
// one statement through the partial index of open alerts (clinical_alerts_open_idx).
const openAlertsStatement = (db: ReplicaReader) =>
  db.$client.prepare<
    [string, string],
    { id: string; kind: string; patient_id: string | null; bed_id: string | null }
  >(
    `select a.id, a.kind, a.patient_id, json_extract(a.details, '$.bedId') as bed_id
       from clinical_alerts a
      where a.acknowledged_at is null and a.deleted_at is null
        and (a.patient_id in (select s.patient_id from visits s
                               where s.ward_id = ? and s.status = 'admitted' and s.deleted_at is null)
             or json_extract(a.details, '$.bedId') in (select b.id from beds b where b.ward_id = ?))
      order by a.created_at`,
  );

const isAlertKind = (kind: string): kind is ClinicalAlertKind =>
  (CLINICAL_ALERT_KINDS as readonly string[]).includes(kind);

/** Open alerts of the ward, by the patient and by the bed they are about. */
function wardAlerts(
  rows: { id: string; kind: string; patient_id: string | null; bed_id: string | null }[],
) {
  const byPatient = new Map<string, BedAlert[]>();
  const byBed = new Map<string, BedAlert[]>();
  const add = (map: Map<string, BedAlert[]>, key: string, alert: BedAlert) => {
    map.set(key, [...(map.get(key) ?? []), alert]);
  };
  for (const row of rows) {
    if (!isAlertKind(row.kind)) continue;
    const { title, urgency } = ALERT_KINDS[row.kind];
    const alert = { id: row.id, kind: row.kind, title, urgency };
    if (row.patient_id) add(byPatient, row.patient_id, alert);
    if (row.bed_id) add(byBed, row.bed_id, alert);
  }
  return { byPatient, byBed };
}

/** Each alert once: one about the bed and about its patient is one alert. */
const distinct = (alerts: BedAlert[]) => [...new Map(alerts.map((a) => [a.id, a])).values()];

/** `now` is the workstation clock: it decides which doses are due. */
export function getWardBoard(db: ReplicaReader, options: { wardId: string; now: Date }) {
  const statements = boardStatements(db);
  const ward = statements.ward.get({ wardId: options.wardId });
  if (!ward) refuse('not_found', 'That ward does not exist on this workstation.', 'not_found');
  const bedRows = statements.beds.all({ wardId: ward.id });
  const stays = statements.stays.all({ wardId: ward.id });
  const latest = new Map(
    statements.latestVitals.all(ward.id).map((row) => [String(row.visit_id), row]),
  );
  const labs = new Map(statements.pendingLabs.all(ward.id).map((row) => [row.visit_id, row]));
  const medsDue = getDosesDue(db, { wardId: ward.id }, options.now);
  const alerts = wardAlerts(statements.openAlerts.all(ward.id, ward.id));
  const occupants = stays.map((stay) => ({
    ...stay,
    latestVitals: toLatestVitals(latest.get(stay.visitId)),
    medsDue: medsDue.get(stay.visitId) ?? NO_MEDS_DUE,
    pendingLabs: toPendingLabs(labs.get(stay.visitId)),
    alerts: alerts.byPatient.get(stay.patientId) ?? [],
  }));
  const byBed = new Map(occupants.flatMap((o) => (o.bedId ? [[o.bedId, o] as const] : [])));
  return {
    ward: { id: ward.id, code: ward.code, name: ward.name, floor: ward.floor },
    beds: bedRows.map((bed) => {
      const occupant = byBed.get(bed.id) ?? null;
      return {
        ...bed,
        occupant,
        /** Open alerts about this bed or the patient in it. */
        alerts: distinct([...(alerts.byBed.get(bed.id) ?? []), ...(occupant?.alerts ?? [])]),
      };
    }),
    /** Admitted here but without a bed, e.g. after a bed conflict from sync. */
    withoutBed: occupants.filter((o) => o.bedId === null),
  };
}

function toPendingLabs(
  row: { count: number; urgent: number; oldest: string } | undefined,
): PendingLabs {
  return row
    ? { count: row.count, urgent: row.urgent, oldestOrderedAt: row.oldest }
    : NO_PENDING_LABS;
}

function toLatestVitals(row: Record<string, unknown> | undefined): LatestVitals | null {
  if (!row) return null;
  return {
    id: String(row.id),
    ...vitalValues(row),
    abnormal: JSON.parse(String(row.abnormal)) as AbnormalFlag[],
  };
}

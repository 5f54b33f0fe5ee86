/**
 * What the replica holds about one stay, read for the discharge summary's first draft
 * (shared/discharge-summary.ts). Entries marked as entered in error, and the corrections that
 * replaced them, speak through the correction only; deleted rows are left out.
 */
import type { StayRecords, StayVitals } from '../../shared/discharge-summary';
import type { ReplicaReader } from './replica-reader';
import type { VisitRow } from './visits';

/** A row no later row of its table names as entered in error. */
const standing = (table: string, alias: string) =>
  `not exists (select 1 from ${table} c where c.entered_in_error_id = ${alias}.id and c.deleted_at is null)`;

export function readStayRecords(db: ReplicaReader, visit: VisitRow, now: string): StayRecords {
  const all = <R>(sql: string, ...params: unknown[]) =>
    db.$client.prepare<unknown[], R>(sql).all(...params);

  const patient = db.$client
    .prepare<[string], { name: string; mrn: string; dateOfBirth: string | null }>(
      `select first_name || ' ' || last_name as name, mrn, date_of_birth as dateOfBirth
         from patients where id = ?`,
    )
    .get(visit.patientId) ?? { name: 'Unknown patient', mrn: '—', dateOfBirth: null };
  const nameOf = db.$client.prepare<[string], { name: string }>(
    'select full_name as name from users where id = ?',
  );
  const ward = db.$client
    .prepare<[string], { name: string }>('select name from wards where id = ?')
    .get(visit.wardId);
  const attending = visit.attendingDoctorId ? nameOf.get(visit.attendingDoctorId) : undefined;

  const entries = all<{ kind: string; createdAt: string; body: string }>(
    `select kind, created_at as createdAt, body from emr_local
      where visit_id = ? and deleted_at is null and kind <> 'discharge_summary'
      order by created_at, id`,
    visit.id,
  ).map((row) => ({ ...row, sections: parseSections(row.body) }));

  const nurseNotes = all<{ kind: string; recordedAt: string; body: string }>(
    `select kind, recorded_at as recordedAt, body from nurse_logs n
      where visit_id = ? and deleted_at is null and entered_in_error_id is null and ${standing('nurse_logs', 'n')}
      order by recorded_at`,
    visit.id,
  );

  const medications = all<StayRecords['medications'][number]>(
    `select p.drug, p.dose, p.frequency, p.route, p.status,
            (select count(*) from medication_administrations m
              where m.prescription_id = p.id and m.status = 'given' and m.deleted_at is null
                and m.entered_in_error_id is null and ${standing('medication_administrations', 'm')}) as dosesGiven
       from prescriptions p
      where p.visit_id = ? and p.deleted_at is null
      order by p.starts_at, p.id`,
    visit.id,
  );

  const vitals = all<StayVitals>(
    `select recorded_at as recordedAt, temperature_c as temperatureC, heart_rate as heartRate,
            systolic, diastolic, respiratory_rate as respiratoryRate, spo2
       from vitals v
      where visit_id = ? and deleted_at is null and entered_in_error_id is null and ${standing('vitals', 'v')}
      order by recorded_at`,
    visit.id,
  );

  const pendingLabs = all<StayRecords['pendingLabs'][number]>(
    `select test_name as testName, status, ordered_at as orderedAt from lab_tests
      where visit_id = ? and deleted_at is null and status in ('pending', 'accepted', 'in_progress')
      order by ordered_at`,
    visit.id,
  );

  const followUps = all<StayRecords['followUps'][number]>(
    `select a.scheduled_at as scheduledAt, u.full_name as doctor, a.reason from appointments a
       left join users u on u.id = a.doctor_id
      where a.patient_id = ? and a.deleted_at is null and a.status = 'scheduled' and a.scheduled_at > ?
      order by a.scheduled_at`,
    visit.patientId,
    now,
  );

  return {
    patient,
    admittedAt: visit.admittedAt,
    ward: ward?.name ?? null,
    attending: attending?.name ?? null,
    admissionReason: visit.admissionReason,
    entries,
    nurseNotes,
    medications,
    vitals,
    pendingLabs,
    followUps,
  };
}

function parseSections(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

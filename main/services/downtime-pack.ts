/**
 * The downtime pack's data (issue 17), read from the replica alone so a ward can print it with
 * the network down. shared/print/downtime-pack.ts turns it into the printed pages.
 */
import type {
  DowntimeLab,
  DowntimeNote,
  DowntimePack,
  DowntimeVitals,
} from '../../shared/print/downtime-pack';
import { readSyncState } from '../sync/sync-state';
import { listScheduledDoses } from './doses-due';
import type { ReplicaReader } from './replica-reader';
import { getWardBoard } from './ward-board';
import { vitalValues } from './vital-values';

const DAY_MS = 24 * 3_600_000;

/** Whole years between a date of birth and now, as a census lists it. */
export function ageOn(dateOfBirth: string | null, now: Date): number | null {
  if (!dateOfBirth) return null;
  const [year, month, day] = dateOfBirth.split('-').map(Number);
  if (year === undefined || month === undefined || day === undefined) return null;
  const birthdayPassed =
    now.getUTCMonth() + 1 > month || (now.getUTCMonth() + 1 === month && now.getUTCDate() >= day);
  return now.getUTCFullYear() - year - (birthdayPassed ? 0 : 1);
}

interface StayParams {
  wardId: string;
  from: string;
}

// Each of the ward's admitted stays' rows of the last 24 h; an entry a later one marked as
// entered in error is left out, as on the chart.
const LIVE = (alias: string, table: string) =>
  `${alias}.deleted_at is null and not exists (select 1 from ${table} c where c.entered_in_error_id = ${alias}.id)`;
const WARD_STAYS = `select s.id from visits s where s.ward_id = @wardId and s.status = 'admitted' and s.deleted_at is null`;

function readVitals(db: ReplicaReader, params: StayParams): DowntimeVitals[] {
  return db.$client
    .prepare<StayParams, Record<string, string | number | null>>(
      `select v.visit_id, v.recorded_at, v.temperature_c, v.heart_rate, v.systolic, v.diastolic, v.respiratory_rate, v.spo2
         from vitals v
        where v.visit_id in (${WARD_STAYS}) and v.recorded_at >= @from and ${LIVE('v', 'vitals')}
        order by v.visit_id, v.recorded_at`,
    )
    .all(params)
    .map((row) => ({ visitId: String(row.visit_id), ...vitalValues(row) }));
}

function readPendingLabs(db: ReplicaReader, params: Pick<StayParams, 'wardId'>): DowntimeLab[] {
  return db.$client
    .prepare<Pick<StayParams, 'wardId'>, DowntimeLab>(
      `select l.visit_id as visitId, l.test_name as testName, l.urgency, l.status, l.ordered_at as orderedAt
         from lab_tests l
        where l.visit_id in (${WARD_STAYS}) and l.status in ('pending', 'accepted', 'in_progress')
          and l.deleted_at is null
        order by l.ordered_at`,
    )
    .all(params);
}

function readHandoffs(db: ReplicaReader, params: StayParams): DowntimeNote[] {
  return db.$client
    .prepare<StayParams, DowntimeNote>(
      `select n.visit_id as visitId, n.recorded_at as recordedAt, u.full_name as author, n.body
         from nurse_logs n left join users u on u.id = n.recorded_by
        where n.visit_id in (${WARD_STAYS}) and n.kind = 'handoff' and n.recorded_at >= @from
          and ${LIVE('n', 'nurse_logs')}
        order by n.visit_id, n.recorded_at`,
    )
    .all(params);
}

/** Doses charted on the ward's stays since `from`, and how many after a wristband scan. */
export function readWristbandScans(
  db: ReplicaReader,
  params: StayParams,
): { scanned: number; charted: number } {
  const row = db.$client
    .prepare<StayParams, { scanned: number | null; charted: number }>(
      `select sum(m.wristband_check = 'scanned') as scanned, count(*) as charted
         from medication_administrations m
        where m.visit_id in (${WARD_STAYS}) and m.administered_at >= @from
          and m.entered_in_error_id is null and ${LIVE('m', 'medication_administrations')}`,
    )
    .get(params);
  return { scanned: row?.scanned ?? 0, charted: row?.charted ?? 0 };
}

export function gatherDowntimePack(
  db: ReplicaReader,
  options: { wardId: string; now: Date; utcOffsetMinutes: number },
): DowntimePack {
  const { now } = options;
  const board = getWardBoard(db, { wardId: options.wardId, now });
  const stays = [
    ...board.beds.flatMap((bed) => (bed.occupant ? [{ bed: bed.number, stay: bed.occupant }] : [])),
    ...board.withoutBed.map((stay) => ({ bed: null, stay })),
  ];
  const params = { wardId: board.ward.id, from: new Date(now.getTime() - DAY_MS).toISOString() };
  const { doses } = listScheduledDoses(
    db,
    { wardId: board.ward.id },
    // The next 24 h, the dose at this very minute in and the one 24 h on left to the next pack.
    { from: now, to: new Date(now.getTime() + DAY_MS - 1), now },
  );
  return {
    ward: { code: board.ward.code, name: board.ward.name },
    generatedAt: now.toISOString(),
    lastSyncAt: readSyncState(db).lastSuccessAt,
    utcOffsetMinutes: options.utcOffsetMinutes,
    patients: stays.map(({ bed, stay }) => ({
      visitId: stay.visitId,
      bed,
      name: `${stay.lastName.toUpperCase()}, ${stay.firstName}`,
      mrn: stay.mrn,
      age: ageOn(stay.dateOfBirth, now),
      allergies: stay.allergies,
      attending: stay.attendingDoctor,
    })),
    doses: doses.map((dose) => ({
      visitId: dose.visitId,
      drug: dose.drug,
      dose: dose.dose,
      route: dose.route,
      scheduledFor: dose.scheduledFor,
      charted: dose.charted?.status ?? null,
    })),
    vitals: readVitals(db, params),
    labs: readPendingLabs(db, { wardId: board.ward.id }),
    handoffs: readHandoffs(db, params),
    wristbandScans: readWristbandScans(db, params),
  };
}

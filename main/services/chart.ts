/**
 * A patient's chart, everything its first paint needs in one call. Opening a chart is itself
 * recorded: every read of a chart appends a `chart.read` audit event, whose purpose names the
 * break-glass it ran under, if any (main/services/break-glass.ts).
 */
import { and, asc, desc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import {
  beds,
  emrLocal,
  labTests,
  medicationAdministrations,
  nurseLogs,
  patients,
  prescriptions,
  users,
  visits,
  vitals,
  wards,
} from '../../db/local/schema';
import { refuse } from '../errors';
import { stayHeldTest } from '../sync/replica-scope';
import { requireChartAccess } from './break-glass';
import { listPatientAlerts } from './clinical-alerts';
import { listChartDoses } from './doses-due';
import type { ReplicaReader } from './replica-reader';
import { auditRead, type WriteContext } from './write-path';

const RECENT = 100;

export function openChart(
  context: WriteContext,
  input: { patientId: string; visitId?: string | undefined },
) {
  // A restricted record, or a patient off the person's wards: only under a running break-glass.
  const breakGlass = requireChartAccess(context, input.patientId);
  const chart = readChart(context.db, input, context.clock.now());
  auditRead(context, {
    action: 'chart.read',
    entity: 'patients',
    entityId: chart.patient.id,
    patientId: chart.patient.id,
    ...(breakGlass ? { purpose: breakGlass.purpose } : {}),
    details: breakGlass
      ? { visitId: chart.visit?.id ?? null, breakGlassId: breakGlass.startEventId }
      : { visitId: chart.visit?.id ?? null },
  });
  return {
    ...chart,
    breakGlass: breakGlass
      ? { expiresAt: breakGlass.expiresAt, purpose: breakGlass.purpose }
      : null,
    scheduledDoses: listChartDoses(context.db, chart.visit?.id ?? null, context.clock.now()),
    // The banner's first paint comes with the chart (one round trip); it is polled afterwards.
    alerts: listPatientAlerts(context.db, chart.patient.id),
  };
}

// A chart is opened all day: its statements are prepared once per connection, not rebuilt per call.
const prepared = new WeakMap<ReplicaReader['$client'], ReturnType<typeof prepareChart>>();

function chartStatements(db: ReplicaReader) {
  let statements = prepared.get(db.$client);
  if (!statements) {
    statements = prepareChart(db);
    prepared.set(db.$client, statements);
  }
  return statements;
}

const visitId = sql.placeholder('visitId');

/**
 * Whether an entry has reached the server: `pending` while its change waits in the outbox,
 * `rejected` when the server refused it, null once sent. One probe of outbox_row_idx per entry.
 */
const sendState = (table: string, id: unknown) =>
  sql<
    'pending' | 'rejected' | null
  >`(select max(o.status) from outbox o where o.table_name = ${table} and o.row_id = ${id})`;

// Entries are selected as flat column lists, not `{ entry: table }` objects spread afterwards: a
// chart returns a few hundred rows per open, and the extra objects were the chart's p99 (GC).

function prepareChart(db: ReplicaReader) {
  return {
    patient: db
      .select()
      .from(patients)
      .where(eq(patients.id, sql.placeholder('patientId')))
      .prepare(),
    stays: db
      .select({
        id: visits.id,
        status: visits.status,
        wardId: visits.wardId,
        wardName: wards.name,
        bedId: visits.bedId,
        bedNumber: beds.number,
        attendingDoctorId: visits.attendingDoctorId,
        admissionReason: visits.admissionReason,
        admittedAt: visits.admittedAt,
        dischargedAt: visits.dischargedAt,
        dischargeSummary: visits.dischargeSummary,
        version: visits.version,
      })
      .from(visits)
      .innerJoin(wards, eq(wards.id, visits.wardId))
      .leftJoin(beds, eq(beds.id, visits.bedId))
      .where(and(eq(visits.patientId, sql.placeholder('patientId')), isNull(visits.deletedAt)))
      .orderBy(desc(visits.admittedAt))
      .prepare(),
    vitals: db
      .select({
        ...getTableColumns(vitals),
        recordedByName: users.fullName,
        enteredInErrorBy: supersededBy('vitals', vitals.id),
        sendState: sendState('vitals', vitals.id),
      })
      .from(vitals)
      .leftJoin(users, eq(users.id, vitals.recordedBy))
      .where(eq(vitals.visitId, visitId))
      .orderBy(desc(vitals.recordedAt))
      .limit(RECENT)
      .prepare(),
    nurseLogs: db
      .select({
        ...getTableColumns(nurseLogs),
        recordedByName: users.fullName,
        enteredInErrorBy: supersededBy('nurse_logs', nurseLogs.id),
        sendState: sendState('nurse_logs', nurseLogs.id),
      })
      .from(nurseLogs)
      .leftJoin(users, eq(users.id, nurseLogs.recordedBy))
      .where(eq(nurseLogs.visitId, visitId))
      .orderBy(desc(nurseLogs.recordedAt))
      .limit(RECENT)
      .prepare(),
    labTests: db
      .select({ ...getTableColumns(labTests), sendState: sendState('lab_tests', labTests.id) })
      .from(labTests)
      .where(eq(labTests.visitId, visitId))
      .orderBy(desc(labTests.orderedAt))
      .prepare(),
    prescriptions: db
      .select({
        ...getTableColumns(prescriptions),
        sendState: sendState('prescriptions', prescriptions.id),
      })
      .from(prescriptions)
      .where(eq(prescriptions.visitId, visitId))
      .orderBy(asc(prescriptions.startsAt))
      .prepare(),
    administrations: db
      .select({
        ...getTableColumns(medicationAdministrations),
        administeredByName: users.fullName,
        enteredInErrorBy: supersededBy('medication_administrations', medicationAdministrations.id),
        sendState: sendState('medication_administrations', medicationAdministrations.id),
      })
      .from(medicationAdministrations)
      .leftJoin(users, eq(users.id, medicationAdministrations.administeredBy))
      .where(eq(medicationAdministrations.visitId, visitId))
      .orderBy(desc(medicationAdministrations.scheduledFor))
      .limit(RECENT * 2)
      .prepare(),
    // Written by the doctor whose session inserted it; rows from the server keep the last writer.
    emrRecords: db
      .select({
        ...getTableColumns(emrLocal),
        writtenByName: users.fullName,
        sendState: sendState('emr_local', emrLocal.id),
      })
      .from(emrLocal)
      .leftJoin(users, eq(users.id, emrLocal.updatedBy))
      .where(and(eq(emrLocal.visitId, visitId), isNull(emrLocal.deletedAt)))
      .orderBy(asc(emrLocal.createdAt))
      .prepare(),
  };
}

/** The stay a chart opens on: the one asked for, else the current one, else the latest. */
export function chartStayId(
  db: ReplicaReader,
  input: { patientId: string; visitId?: string | undefined },
): string | null {
  if (input.visitId) return input.visitId;
  const stays = chartStatements(db).stays.all({ patientId: input.patientId });
  return (stays.find((stay) => stay.status === 'admitted') ?? stays[0])?.id ?? null;
}

function readChart(
  db: ReplicaReader,
  input: { patientId: string; visitId?: string | undefined },
  now: Date,
) {
  const statements = chartStatements(db);
  const patient = statements.patient.get({ patientId: input.patientId });
  if (!patient || patient.deletedAt !== null)
    refuse('not_found', 'That patient is not on this workstation.', 'not_found');
  const stays = statements.stays.all({ patientId: patient.id });
  const visit = input.visitId
    ? stays.find((stay) => stay.id === input.visitId)
    : (stays.find((stay) => stay.status === 'admitted') ?? stays[0]);
  if (input.visitId && !visit)
    refuse('not_found', 'That visit does not belong to this patient.', 'not_found');
  if (!visit)
    return {
      patient,
      visits: stays,
      visit: null,
      vitals: [],
      nurseLogs: [],
      labTests: [],
      prescriptions: [],
      administrations: [],
      emrRecords: [],
      recordNotHeld: null,
    };
  return {
    patient,
    visits: stays,
    visit,
    ...readVisitEntries(statements, visit.id),
    recordNotHeld: stayNotHeld(db, visit.id, now),
  };
}

/**
 * What the chart says when this workstation does not hold the stay's clinical record (an older
 * stay outside its scope, docs/SYNC.md "Scope"): the entries shown are not the whole record.
 */
function stayNotHeld(db: ReplicaReader, stayId: string, now: Date): string | null {
  if (stayHeldTest(db, now)(stayId)) return null;
  return 'This stay ended before the period this workstation keeps, so its vitals, notes, orders and medications are not on it. Open the chart while online to fetch them.';
}

const supersededBy = (table: 'vitals' | 'nurse_logs' | 'medication_administrations', id: unknown) =>
  sql<
    string | null
  >`(select c.id from ${sql.identifier(table)} c where c.entered_in_error_id = ${id})`;

function readVisitEntries(statements: ReturnType<typeof prepareChart>, visit: string) {
  const values = { visitId: visit };
  return {
    vitals: statements.vitals.all(values),
    nurseLogs: statements.nurseLogs.all(values),
    labTests: statements.labTests.all(values),
    prescriptions: statements.prescriptions.all(values),
    administrations: statements.administrations.all(values),
    emrRecords: statements.emrRecords.all(values),
  };
}

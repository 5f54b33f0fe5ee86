/**
 * A patient's chart, everything its first paint needs in one call. Opening a chart is itself
 * recorded: every read of a chart appends a `chart.read` audit event.
 */
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import {
  beds,
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
import { writeClinical, type WriteContext } from './write-path';

const RECENT = 100;

export function openChart(context: WriteContext, input: { patientId: string; visitId?: string | undefined }) {
  const chart = readChart(context.db, input);
  writeClinical(context, (batch) => {
    batch.audit({ action: 'chart.read', entity: 'patients', entityId: chart.patient.id, after: { visitId: chart.visit?.id ?? null } });
  });
  return chart;
}

function readChart(db: LocalDb, input: { patientId: string; visitId?: string | undefined }) {
  const patient = db.select().from(patients).where(eq(patients.id, input.patientId)).get();
  if (!patient || patient.deletedAt !== null) refuse('not_found', 'That patient is not on this workstation.', 'not_found');
  const stays = db
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
    .where(and(eq(visits.patientId, patient.id), isNull(visits.deletedAt)))
    .orderBy(desc(visits.admittedAt))
    .all();
  const visit = input.visitId
    ? stays.find((stay) => stay.id === input.visitId)
    : (stays.find((stay) => stay.status === 'admitted') ?? stays[0]);
  if (input.visitId && !visit) refuse('not_found', 'That visit does not belong to this patient.', 'not_found');
  if (!visit) return { patient, visits: stays, visit: null, vitals: [], nurseLogs: [], labTests: [], prescriptions: [], administrations: [] };
  return { patient, visits: stays, visit, ...readVisitEntries(db, visit.id) };
}

const supersededBy = (table: 'vitals' | 'nurse_logs' | 'medication_administrations', id: unknown) =>
  sql<string | null>`(select c.id from ${sql.identifier(table)} c where c.entered_in_error_id = ${id})`;

function readVisitEntries(db: LocalDb, visitId: string) {
  return {
    vitals: db
      .select({ entry: vitals, recordedByName: users.fullName, enteredInErrorBy: supersededBy('vitals', vitals.id) })
      .from(vitals)
      .leftJoin(users, eq(users.id, vitals.recordedBy))
      .where(eq(vitals.visitId, visitId))
      .orderBy(desc(vitals.recordedAt))
      .limit(RECENT)
      .all()
      .map(({ entry, ...rest }) => ({ ...entry, ...rest })),
    nurseLogs: db
      .select({ entry: nurseLogs, recordedByName: users.fullName, enteredInErrorBy: supersededBy('nurse_logs', nurseLogs.id) })
      .from(nurseLogs)
      .leftJoin(users, eq(users.id, nurseLogs.recordedBy))
      .where(eq(nurseLogs.visitId, visitId))
      .orderBy(desc(nurseLogs.recordedAt))
      .limit(RECENT)
      .all()
      .map(({ entry, ...rest }) => ({ ...entry, ...rest })),
    labTests: db.select().from(labTests).where(eq(labTests.visitId, visitId)).orderBy(desc(labTests.orderedAt)).all(),
    prescriptions: db.select().from(prescriptions).where(eq(prescriptions.visitId, visitId)).orderBy(asc(prescriptions.startsAt)).all(),
    administrations: db
      .select({
        entry: medicationAdministrations,
        administeredByName: users.fullName,
        enteredInErrorBy: supersededBy('medication_administrations', medicationAdministrations.id),
      })
      .from(medicationAdministrations)
      .leftJoin(users, eq(users.id, medicationAdministrations.administeredBy))
      .where(eq(medicationAdministrations.visitId, visitId))
      .orderBy(desc(medicationAdministrations.scheduledFor))
      .limit(RECENT * 2)
      .all()
      .map(({ entry, ...rest }) => ({ ...entry, ...rest })),
  };
}

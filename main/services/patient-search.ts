/**
 * Patient search at reception and on the ward: by MRN, by name (prefix of first or last name,
 * either order) or by date of birth. Each branch is one indexed range scan.
 */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { beds, patients, visits, wards } from '../../db/local/schema';

export interface PatientSearchInput {
  query: string;
  limit?: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MRN_LIKE = /^[A-Z0-9-]*\d[A-Z0-9-]*$/;
const END = '\uffff';

const lastLower = sql`lower(${patients.lastName})`;
const firstLower = sql`lower(${patients.firstName})`;
const prefix = (column: SQL, value: string) => sql`${column} >= ${value} and ${column} < ${value + END}`;

export function searchPatients(db: LocalDb, hospitalId: string, input: PatientSearchInput) {
  const limit = input.limit ?? 25;
  const query = input.query.trim();
  const conditions: SQL[] = [];
  if (DATE.test(query)) {
    conditions.push(eq(patients.dateOfBirth, query));
  } else {
    const mrn = query.toUpperCase();
    if (MRN_LIKE.test(mrn)) conditions.push(sql`${patients.mrn} >= ${mrn} and ${patients.mrn} < ${mrn + END}`);
    const words = query.toLowerCase().split(/[\s,]+/).filter(Boolean);
    const [first, second] = words;
    if (first && !second) {
      conditions.push(prefix(lastLower, first), prefix(firstLower, first));
    } else if (first && second) {
      conditions.push(
        sql`${prefix(firstLower, first)} and ${prefix(lastLower, second)}`,
        sql`${prefix(lastLower, first)} and ${prefix(firstLower, second)}`,
      );
    }
  }
  const seen = new Map<string, typeof patients.$inferSelect>();
  for (const condition of conditions) {
    const rows = db
      .select()
      .from(patients)
      .where(and(eq(patients.hospitalId, hospitalId), condition, sql`${patients.deletedAt} is null`))
      .orderBy(asc(lastLower), asc(firstLower))
      .limit(limit)
      .all();
    for (const row of rows) seen.set(row.id, row);
  }
  const found = [...seen.values()]
    .sort((a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName))
    .slice(0, limit);
  return attachActiveVisits(db, found);
}

function attachActiveVisits(db: LocalDb, found: (typeof patients.$inferSelect)[]) {
  if (found.length === 0) return [];
  const active = db
    .select({
      patientId: visits.patientId,
      visitId: visits.id,
      wardName: wards.name,
      bedNumber: beds.number,
    })
    .from(visits)
    .innerJoin(wards, eq(wards.id, visits.wardId))
    .leftJoin(beds, eq(beds.id, visits.bedId))
    .where(and(inArray(visits.patientId, found.map((p) => p.id)), eq(visits.status, 'admitted')))
    .all();
  const byPatient = new Map(active.map((visit) => [visit.patientId, visit]));
  return found.map((patient) => ({
    id: patient.id,
    mrn: patient.mrn,
    firstName: patient.firstName,
    lastName: patient.lastName,
    dateOfBirth: patient.dateOfBirth,
    sex: patient.sex,
    phone: patient.phone,
    allergies: patient.allergies,
    activeVisit: byPatient.get(patient.id) ?? null,
  }));
}

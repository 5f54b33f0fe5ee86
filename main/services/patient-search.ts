/**
 * Patient search at reception and on the ward: by MRN, by name (prefix of first or last name,
 * either order) or by date of birth. Each branch is one indexed range scan.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { ReplicaReader } from './replica-reader';
import { beds, visits, wards, type patients } from '../../db/local/schema';
import { aliasMrns, resolveMergedPatients } from './patient-merge';

export interface PatientSearchInput {
  query: string;
  limit?: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MRN_LIKE = /^[A-Z0-9-]*\d[A-Z0-9-]*$/;
const END = '\uffff';

type FoundPatient = Pick<
  typeof patients.$inferSelect,
  'id' | 'mrn' | 'firstName' | 'lastName' | 'dateOfBirth' | 'sex' | 'phone' | 'allergies'
>;
type PatientRow = Omit<FoundPatient, 'allergies'> & { allergies: string };

const COLUMNS = `id, mrn, first_name as firstName, last_name as lastName, date_of_birth as dateOfBirth, sex, phone, allergies`;
const HOSPITAL = `hospital_id = @hospitalId`;
// Last, so SQLite checks the name against the index entry before it fetches the row for it.
const LIVE = `and deleted_at is null`;
const BY_NAME = `order by lower(last_name), lower(first_name) limit @limit`;

/**
 * One statement per branch, prepared once per connection. Each names its index: with
 * `order by <name> limit` the planner otherwise walks the last-name index in name order and
 * filters, which for a first name, an MRN or a birth date with few matches reads every patient.
 */
function prepareSearch(db: ReplicaReader) {
  const prepare = (source: string) =>
    db.$client.prepare<Record<string, unknown>, PatientRow>(source);
  return {
    mrn: prepare(
      `select ${COLUMNS} from patients indexed by patients_hospital_mrn_unique
        where ${HOSPITAL} and mrn >= @from and mrn < @to ${LIVE} order by mrn limit @limit`,
    ),
    dateOfBirth: prepare(
      `select ${COLUMNS} from patients indexed by patients_hospital_dob_idx where ${HOSPITAL} and date_of_birth = @dateOfBirth ${LIVE} ${BY_NAME}`,
    ),
    lastName: prepare(
      `select ${COLUMNS} from patients indexed by patients_hospital_last_lower_idx
        where ${HOSPITAL} and lower(last_name) >= @last and lower(last_name) < @lastTo ${LIVE} ${BY_NAME}`,
    ),
    firstName: prepare(
      `select ${COLUMNS} from patients indexed by patients_hospital_first_lower_idx
        where ${HOSPITAL} and lower(first_name) >= @first and lower(first_name) < @firstTo ${LIVE} ${BY_NAME}`,
    ),
    // The ids travel as one JSON array so a single statement serves any number of them.
    activeVisits: db
      .select({
        patientId: visits.patientId,
        visitId: visits.id,
        wardName: wards.name,
        bedNumber: beds.number,
      })
      .from(visits)
      .innerJoin(wards, eq(wards.id, visits.wardId))
      .leftJoin(beds, eq(beds.id, visits.bedId))
      .where(
        and(
          sql`${visits.patientId} in (select value from json_each(${sql.placeholder('patientIds')}))`,
          eq(visits.status, 'admitted'),
        ),
      )
      .prepare(),
    // Survivors of records a search found merged: the person, whichever record matched.
    byIds: prepare(
      `select ${COLUMNS} from patients where id in (select value from json_each(@ids)) ${LIVE}`,
    ),
    // Walks the last-name range in name order, checks the first name inside the index and stops
    // at `limit` matches.
    firstAndLast: prepare(
      `select ${COLUMNS} from patients indexed by patients_hospital_last_lower_idx
        where ${HOSPITAL} and lower(first_name) >= @first and lower(first_name) < @firstTo
          and lower(last_name) >= @last and lower(last_name) < @lastTo ${LIVE} ${BY_NAME}`,
    ),
  };
}

const prepared = new WeakMap<ReplicaReader['$client'], ReturnType<typeof prepareSearch>>();

function searchStatements(db: ReplicaReader) {
  let statements = prepared.get(db.$client);
  if (!statements) {
    statements = prepareSearch(db);
    prepared.set(db.$client, statements);
  }
  return statements;
}

const range = (name: string, value: string) => ({ [name]: value, [`${name}To`]: value + END });

export function searchPatients(db: ReplicaReader, hospitalId: string, input: PatientSearchInput) {
  const limit = input.limit ?? 25;
  const query = input.query.trim();
  const statements = searchStatements(db);
  const base = { hospitalId, limit };
  const found: PatientRow[][] = [];
  if (DATE.test(query)) {
    found.push(statements.dateOfBirth.all({ ...base, dateOfBirth: query }));
  } else {
    const mrn = query.toUpperCase();
    if (MRN_LIKE.test(mrn)) found.push(statements.mrn.all({ ...base, from: mrn, to: mrn + END }));
    const words = query
      .toLowerCase()
      .split(/[\s,]+/)
      .filter(Boolean);
    const [first, second] = words;
    if (first && !second) {
      found.push(statements.lastName.all({ ...base, ...range('last', first) }));
      found.push(statements.firstName.all({ ...base, ...range('first', first) }));
    } else if (first && second) {
      found.push(
        statements.firstAndLast.all({
          ...base,
          ...range('first', first),
          ...range('last', second),
        }),
      );
      found.push(
        statements.firstAndLast.all({
          ...base,
          ...range('first', second),
          ...range('last', first),
        }),
      );
    }
  }
  const seen = new Map<string, FoundPatient>();
  const keep = (row: PatientRow) =>
    seen.set(row.id, { ...row, allergies: JSON.parse(row.allergies) as FoundPatient['allergies'] });
  for (const row of found.flat()) keep(row);
  // A merged record's MRN (an alias) or name still finds the person: as the surviving record.
  const merged = resolveMergedPatients(db, [...seen.keys()]);
  if (merged.size > 0) {
    for (const id of merged.keys()) seen.delete(id);
    const missing = [...new Set(merged.values())].filter((id) => !seen.has(id));
    for (const row of statements.byIds.all({ ids: JSON.stringify(missing) })) keep(row);
  }
  const sorted = [...seen.values()]
    .sort((a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName))
    .slice(0, limit);
  return attachActiveVisits(db, sorted);
}

function attachActiveVisits(db: ReplicaReader, found: FoundPatient[]) {
  if (found.length === 0) return [];
  const active = searchStatements(db).activeVisits.all({
    patientIds: JSON.stringify(found.map((p) => p.id)),
  });
  const byPatient = new Map(active.map((visit) => [visit.patientId, visit]));
  const aliases = aliasMrns(
    db,
    found.map((p) => p.id),
  );
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
    /** MRNs of records merged into this one: searching by them finds this record. */
    alsoKnownAs: aliases.get(patient.id) ?? [],
  }));
}

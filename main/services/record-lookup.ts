/**
 * Names of the records an alert, a conflict, a refused change or a waiting change points at, as
 * the replica has them: a patient by name and MRN, a bed by number and ward, a dose by drug and
 * time, a person by name. The screens that show what sync did never show an id: this is where an
 * id becomes words. Statements are prepared once per connection.
 */
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { localSyncedTables } from '../../db/local/synced-tables';
import type { AlertLookup } from '../../shared/clinical-alerts';
import { findSyncedTable, type SyncedTableName } from '../../shared/catalog';
import { PERMISSIONS, isPermission } from '../../shared/permissions';
import { clockTime, dayAndTime, recordNoun, type ReferenceName } from '../../shared/record-words';
import { ROLE_LABELS, ROLES, type Role } from '../../shared/roles';
import type { ReplicaReader } from './replica-reader';
import { findById } from './write-statements';

interface PatientRow {
  id: string;
  mrn: string;
  first_name: string;
  last_name: string;
}

interface StayRow {
  id: string;
  patient_id: string;
  status: string;
  ward: string;
  bed: string | null;
  admitted_at: string;
}

function prepareLookups(db: ReplicaReader) {
  const stayColumns = `v.id, v.patient_id, v.status, w.name as ward, b.number as bed, v.admitted_at
    from visits v join wards w on w.id = v.ward_id left join beds b on b.id = v.bed_id`;
  return {
    patient: db.$client.prepare<[string], PatientRow>(
      'select id, mrn, first_name, last_name from patients where id = ?',
    ),
    stay: db.$client.prepare<[string], StayRow>(`select ${stayColumns} where v.id = ?`),
    currentStay: db.$client.prepare<[string], StayRow>(
      `select ${stayColumns} where v.patient_id = ? and v.status = 'admitted' and v.deleted_at is null
        order by v.admitted_at desc limit 1`,
    ),
    bed: db.$client.prepare<[string], { number: string; ward: string }>(
      'select b.number, w.name as ward from beds b join wards w on w.id = b.ward_id where b.id = ?',
    ),
    ward: db.$client.prepare<[string], { name: string }>('select name from wards where id = ?'),
    person: db.$client.prepare<[string], { full_name: string }>(
      'select full_name from users where id = ?',
    ),
    drug: db.$client.prepare<
      [string],
      { drug: string; dose: string; route: string; frequency: string }
    >('select drug, dose, route, frequency from prescriptions where id = ?'),
    dose: db.$client.prepare<
      [string],
      { administered_at: string; status: string; by: string | null; prescription_id: string }
    >(
      `select m.administered_at, m.status, u.full_name as by, m.prescription_id
         from medication_administrations m left join users u on u.id = m.administered_by
        where m.id = ?`,
    ),
    appointment: db.$client.prepare<
      [string],
      { scheduled_at: string; doctor: string | null; first_name: string; last_name: string }
    >(
      `select a.scheduled_at, u.full_name as doctor, p.first_name, p.last_name
         from appointments a join patients p on p.id = a.patient_id
         left join users u on u.id = a.doctor_id
        where a.id = ?`,
    ),
    stockItem: db.$client.prepare<[string], { name: string; location: string | null }>(
      'select name, location from inventory where id = ?',
    ),
    named: db.$client.prepare<[string, string], { name: string }>(
      'select name from hospitals where id = ? union all select name from regions where id = ?',
    ),
  };
}

const prepared = new WeakMap<object, ReturnType<typeof prepareLookups>>();

export interface RecordLookup {
  /** For shared/clinical-alerts.ts. */
  alert: AlertLookup;
  /** For shared/record-words.ts valueWords: what a reference names, or null when not here. */
  nameOf: ReferenceName;
  /** "HUGHES, Margaret (NGH-000001)" and the patient's id, or null. */
  patient(patientId: unknown): { id: string; name: string } | null;
  /** Where a patient is: their stay's ward and bed ("Medical Ward A, bed A-02"), or null. */
  place(patientId: string | null, visitId?: unknown): string | null;
  /** A synced row as the replica has it. */
  row(table: string, id: string): Record<string, unknown> | null;
  /** The patient a row of `table` is about, by its references (catalog), or null. */
  patientOfRow(table: string, row: Record<string, unknown>): string | null;
}

const patientName = (row: PatientRow) =>
  `${row.last_name.toUpperCase()}, ${row.first_name} (${row.mrn})`;
const placeOf = (stay: StayRow) =>
  stay.status === 'admitted'
    ? `${stay.ward}, ${stay.bed ? `bed ${stay.bed}` : 'no bed'}`
    : `${stay.ward}, ${stay.status}`;
const id = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

export function createRecordLookup(db: ReplicaReader): RecordLookup {
  let statements = prepared.get(db.$client);
  if (!statements) {
    statements = prepareLookups(db);
    prepared.set(db.$client, statements);
  }
  const s = statements;

  const patient = (value: unknown) => {
    const key = id(value);
    const row = key ? s.patient.get(key) : undefined;
    return row ? { id: row.id, name: patientName(row) } : null;
  };
  const person = (value: unknown) => {
    const key = id(value);
    return (key ? s.person.get(key)?.full_name : undefined) ?? null;
  };
  const bed = (value: unknown) => {
    const key = id(value);
    const row = key ? s.bed.get(key) : undefined;
    return row ? `Bed ${row.number} (${row.ward})` : null;
  };
  const stay = (value: unknown) => {
    const key = id(value);
    return (key ? s.stay.get(key) : undefined) ?? null;
  };
  const drug = (value: unknown) => {
    const key = id(value);
    const row = key ? s.drug.get(key) : undefined;
    return row ? `${row.drug} ${row.dose} ${row.route}, ${row.frequency.toLowerCase()}` : null;
  };
  const dose = (value: unknown) => {
    const key = id(value);
    const row = key ? s.dose.get(key) : undefined;
    return row ? { at: row.administered_at, by: row.by, status: row.status } : null;
  };

  /** How a row of each table that references point at is named. */
  const namers: Partial<Record<SyncedTableName, (key: string) => string | null>> = {
    patients: (key) => patient(key)?.name ?? null,
    users: (key) => person(key),
    beds: (key) => bed(key),
    wards: (key) => s.ward.get(key)?.name ?? null,
    visits: (key) => {
      const found = stay(key);
      if (!found) return null;
      const who = patient(found.patient_id)?.name ?? 'a patient';
      return `stay of ${who} from ${dayAndTime(found.admitted_at)}`;
    },
    prescriptions: (key) => drug(key),
    medication_administrations: (key) => {
      const found = s.dose.get(key);
      if (!found) return null;
      return `${drug(found.prescription_id) ?? 'a dose'} charted ${found.status} at ${clockTime(found.administered_at)}`;
    },
    roles: (key) => (ROLES.includes(key as Role) ? ROLE_LABELS[key as Role] : null),
    permissions: (key) => (isPermission(key) ? PERMISSIONS[key] : null),
    hospitals: (key) => s.named.get(key, key)?.name ?? null,
    regions: (key) => s.named.get(key, key)?.name ?? null,
  };

  const nameOf: ReferenceName = (table, key) => {
    const namer = namers[table as SyncedTableName];
    if (namer) return namer(key);
    return findSyncedTable(table) ? `a ${recordNoun(table)}` : null;
  };

  const row = (table: string, key: string): Record<string, unknown> | null => {
    const drizzleTable: SQLiteTable | undefined =
      table in localSyncedTables ? localSyncedTables[table as SyncedTableName] : undefined;
    if (!drizzleTable) return null;
    return findById<SQLiteTable>(db, drizzleTable, key) ?? null;
  };

  const patientOfRow = (table: string, found: Record<string, unknown>) => {
    const entry = findSyncedTable(table);
    if (!entry) return null;
    if (entry.name === 'patients') return id(found.id);
    const columns = Object.entries(entry.columns);
    const direct = columns.find(([, column]) => column.spec.references?.table === 'patients');
    if (direct) return id(found[direct[0]]);
    const viaStay = columns.find(([, column]) => column.spec.references?.table === 'visits');
    if (viaStay) return stay(found[viaStay[0]])?.patient_id ?? null;
    return null;
  };

  return {
    nameOf,
    patient,
    row,
    patientOfRow,
    place(patientId, visitId) {
      const named = stay(visitId);
      if (named) return placeOf(named);
      const current = patientId ? s.currentStay.get(patientId) : undefined;
      return current ? placeOf(current) : null;
    },
    alert: {
      patient: (key) => patient(key)?.name ?? null,
      bed,
      stay(key) {
        const found = stay(key);
        if (!found) return null;
        return { patient: patient(found.patient_id)?.name ?? null, bed: found.bed };
      },
      drug,
      dose,
      person,
      appointment(key) {
        const found = id(key) ? s.appointment.get(key ?? '') : undefined;
        if (!found) return null;
        return `${found.doctor ?? 'A doctor'} with ${found.last_name.toUpperCase()}, ${found.first_name} at ${dayAndTime(found.scheduled_at)}`;
      },
      stockItem(key) {
        const found = id(key) ? s.stockItem.get(key ?? '') : undefined;
        if (!found) return null;
        return found.location ? `${found.name} (${found.location})` : found.name;
      },
    },
  };
}

/**
 * The pharmacist's view: every active prescription of the hospital with who it is for, where they
 * lie, and the last dose charted against it, in ONE statement prepared once per connection. A
 * replica can hold 100,000 patients; the list is driven by the active prescriptions alone.
 */
import { z } from 'zod';
import type { ReadStatement, ReplicaReader } from './replica-reader';
import { IdSchema } from '../../shared/schemas/common';
import type { ADMINISTRATION_STATUSES, ROUTES } from '../../shared/schemas/medications';
import { AllergySchema, type Allergy } from '../../shared/schemas/patients';
import type { VisitStatus } from '../../shared/schemas/visits';
import { parseInput } from './validate';

type Route = (typeof ROUTES)[number];
type AdministrationStatus = (typeof ADMINISTRATION_STATUSES)[number];

/** More rows than a person reads on one screen; past it the pharmacist narrows by ward or text. */
export const ACTIVE_PRESCRIPTIONS_LIMIT = 500;

export const ListActivePrescriptionsInput = z.object({
  wardId: IdSchema.optional(),
  /** Part of a drug name, a patient's name (either order) or an MRN; case does not matter. */
  search: z.string().trim().max(100).optional(),
});
export type ListActivePrescriptionsInput = z.input<typeof ListActivePrescriptionsInput>;

export interface ActivePrescription {
  id: string;
  drug: string;
  dose: string;
  route: Route;
  frequency: string;
  startsAt: string;
  endsAt: string | null;
  notes: string | null;
  patient: { id: string; mrn: string; firstName: string; lastName: string; allergies: Allergy[] };
  /** The stay the prescription belongs to; null for one written outside a stay. */
  stay: {
    visitId: string;
    status: VisitStatus;
    wardId: string;
    wardName: string;
    bedNumber: string | null;
  } | null;
  prescriberName: string | null;
  /** The charted dose with the latest due time that nobody marked as entered in error. */
  lastDose: { administeredAt: string; scheduledFor: string; status: AdministrationStatus } | null;
  /**
   * Allergies whose text and the drug name contain one another (case-insensitive). A hint for the
   * pharmacist's eye, not an interaction check: "Penicillin" does not flag "Amoxicillin".
   */
  allergyClashes: string[];
}

interface Row {
  id: string;
  drug: string;
  dose: string;
  route: Route;
  frequency: string;
  starts_at: string;
  ends_at: string | null;
  notes: string | null;
  patient_id: string;
  mrn: string;
  first_name: string;
  last_name: string;
  allergies: string;
  visit_id: string | null;
  visit_status: VisitStatus | null;
  ward_id: string | null;
  ward_name: string | null;
  bed_number: string | null;
  prescriber_name: string | null;
  dose_at: string | null;
  dose_due: string | null;
  dose_status: AdministrationStatus | null;
}

// One statement in two steps. The page is chosen and sorted first, carrying only its sort keys
// (a few thousand active prescriptions at most, whatever the number of patients); the details
// and the last dose are then read for the rows shown only. The last dose walks
// mar_prescription_scheduled_idx backwards; rowid breaks a tie of due times (the later entry wins)
// without leaving the index.
const SELECT_ACTIVE = `
with page as (
  select p.id, v.id as visit_id, w.id as ward_id, w.name as ward_name, b.number as bed_number
    from prescriptions p
    join patients pt on pt.id = p.patient_id and pt.deleted_at is null
    left join visits v on v.id = p.visit_id and v.deleted_at is null
    left join wards w on w.id = v.ward_id
    left join beds b on b.id = v.bed_id
   where p.status = 'active' and p.deleted_at is null and p.hospital_id = @hospitalId
     and (@wardId is null or v.ward_id = @wardId)
     and (@needle is null or instr(lower(p.drug || ' ' || pt.first_name || ' ' || pt.last_name || ' ' || pt.last_name || ', '
                                           || pt.first_name || ' ' || pt.mrn), @needle) > 0)
   order by w.name is null, w.name, b.number is null, b.number, pt.last_name, pt.first_name, p.drug, p.id
   limit @limit)
select p.id, p.drug, p.dose, p.route, p.frequency, p.starts_at, p.ends_at, p.notes,
       p.patient_id, pt.mrn, pt.first_name, pt.last_name, pt.allergies,
       page.visit_id, v.status as visit_status, page.ward_id, page.ward_name, page.bed_number,
       u.full_name as prescriber_name,
       m.administered_at as dose_at, m.scheduled_for as dose_due, m.status as dose_status
  from page
  join prescriptions p on p.id = page.id
  join patients pt on pt.id = p.patient_id
  left join visits v on v.id = page.visit_id
  left join users u on u.id = p.prescribed_by
  left join medication_administrations m on m.id = (
         select x.id from medication_administrations x
          where x.prescription_id = page.id and x.deleted_at is null
            and not exists (select 1 from medication_administrations c where c.entered_in_error_id = x.id)
          order by x.scheduled_for desc, x.rowid desc
          limit 1)
 order by page.ward_name is null, page.ward_name, page.bed_number is null, page.bed_number,
          pt.last_name, pt.first_name, p.drug, p.id`;

const prepared = new WeakMap<
  ReplicaReader['$client'],
  ReadStatement<[Record<string, unknown>], Row>
>();

function activeStatement(db: ReplicaReader) {
  let statement = prepared.get(db.$client);
  if (!statement) {
    statement = db.$client.prepare<[Record<string, unknown>], Row>(SELECT_ACTIVE);
    prepared.set(db.$client, statement);
  }
  return statement;
}

export function listActivePrescriptions(
  db: ReplicaReader,
  options: { hospitalId: string } & ListActivePrescriptionsInput,
): { prescriptions: ActivePrescription[]; truncated: boolean } {
  const { wardId, search } = parseInput(ListActivePrescriptionsInput, options);
  const rows = activeStatement(db).all({
    hospitalId: options.hospitalId,
    wardId: wardId ?? null,
    needle: search ? search.toLowerCase() : null,
    limit: ACTIVE_PRESCRIPTIONS_LIMIT + 1,
  });
  return {
    prescriptions: rows.slice(0, ACTIVE_PRESCRIPTIONS_LIMIT).map(toActivePrescription),
    truncated: rows.length > ACTIVE_PRESCRIPTIONS_LIMIT,
  };
}

const AllergyListSchema = z.array(AllergySchema).catch([]);

function toActivePrescription(row: Row): ActivePrescription {
  const allergies = AllergyListSchema.parse(safeJson(row.allergies));
  return {
    id: row.id,
    drug: row.drug,
    dose: row.dose,
    route: row.route,
    frequency: row.frequency,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    notes: row.notes,
    patient: {
      id: row.patient_id,
      mrn: row.mrn,
      firstName: row.first_name,
      lastName: row.last_name,
      allergies,
    },
    stay:
      row.visit_id && row.visit_status && row.ward_id && row.ward_name
        ? {
            visitId: row.visit_id,
            status: row.visit_status,
            wardId: row.ward_id,
            wardName: row.ward_name,
            bedNumber: row.bed_number,
          }
        : null,
    prescriberName: row.prescriber_name,
    lastDose:
      row.dose_at && row.dose_due && row.dose_status
        ? { administeredAt: row.dose_at, scheduledFor: row.dose_due, status: row.dose_status }
        : null,
    allergyClashes: allergyClashes(row.drug, allergies),
  };
}

/** Substances whose name and the drug's contain one another, ignoring case and spacing at the ends. */
export function allergyClashes(drug: string, allergies: readonly Allergy[]): string[] {
  const name = drug.trim().toLowerCase();
  if (name === '') return [];
  return allergies
    .map((allergy) => allergy.substance)
    .filter((substance) => {
      const text = substance.trim().toLowerCase();
      return text !== '' && (name.includes(text) || text.includes(name));
    });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

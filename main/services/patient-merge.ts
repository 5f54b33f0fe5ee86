/**
 * Merging two records of one person (issue 13). The person with `patients:merge` compares them
 * side by side and picks the record that survives; the merge is one `patient_merges` row through
 * the write path, so it works offline and the server carries it out when it arrives: it moves
 * stays, entries, appointments and documents to the survivor and marks the other record merged
 * (server/sync/merged-patients.ts). Until then this workstation already reads the merged record
 * as the survivor (search, chart), through `resolveMergedPatients`.
 */
import { eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { beds, patientMerges, patients, visits, wards } from '../../db/local/schema';
import { PATIENT_RECORD_TABLES } from '../../shared/catalog';
import { IdSchema, textField } from '../../shared/schemas/common';
import { refuse } from '../errors';
import type { ReplicaReader } from './replica-reader';
import { parseInput } from './validate';
import { writeClinical, type WriteContext } from './write-path';

export const MergePatientsInput = z
  .object({
    survivorId: IdSchema,
    mergedId: IdSchema,
    reason: textField(500).optional(),
  })
  .refine((input) => input.survivorId !== input.mergedId, {
    message: 'Choose two different patient records',
    path: ['mergedId'],
  });
export type MergePatientsInput = z.input<typeof MergePatientsInput>;

export const ComparePatientsInput = z.object({
  patientIds: z.tuple([IdSchema, IdSchema]),
});

// The server's mark, and this workstation's merges it has not sent yet (the outbox holds them).
const MERGED_SQL = `
  select id as mergedId, merged_into_id as survivorId from patients
   where merged_into_id is not null and id in (select value from json_each(@ids))
  union all
  select merged_patient_id, survivor_patient_id from patient_merges
   where id in (select row_id from outbox where table_name = 'patient_merges' and status = 'pending')`;

const ALIASES_SQL = `
  select mrn, merged_into_id as survivorId from patients
   where merged_into_id in (select value from json_each(@ids))
  union all
  select p.mrn, m.survivor_patient_id from patient_merges m join patients p on p.id = m.merged_patient_id
   where m.id in (select row_id from outbox where table_name = 'patient_merges' and status = 'pending')
     and m.survivor_patient_id in (select value from json_each(@ids))`;

type Statements = ReturnType<typeof prepareStatements>;
const prepared = new WeakMap<ReplicaReader['$client'], Statements>();

function prepareStatements(db: ReplicaReader) {
  return {
    merged: db.$client.prepare<{ ids: string }, { mergedId: string; survivorId: string }>(
      MERGED_SQL,
    ),
    aliases: db.$client.prepare<{ ids: string }, { mrn: string; survivorId: string }>(ALIASES_SQL),
    counts: PATIENT_RECORD_TABLES.map((table) => ({
      table,
      statement: db.$client.prepare<[string], { n: number }>(
        `select count(*) as n from "${table}" where patient_id = ? and deleted_at is null`,
      ),
    })),
  };
}

function statements(db: ReplicaReader): Statements {
  let found = prepared.get(db.$client);
  if (!found) {
    found = prepareStatements(db);
    prepared.set(db.$client, found);
  }
  return found;
}

/**
 * Where each of these patient records lives now: merged id → survivor id (records not merged
 * are left out). Follows a merge of the survivor too, and stops at a loop rather than hang.
 */
export function resolveMergedPatients(
  db: ReplicaReader,
  patientIds: readonly string[],
): Map<string, string> {
  const resolved = new Map<string, string>();
  if (patientIds.length === 0) return resolved;
  const run = (ids: readonly string[]) => statements(db).merged.all({ ids: JSON.stringify(ids) });
  const direct = new Map(run(patientIds).map((row) => [row.mergedId, row.survivorId]));
  for (const id of patientIds) {
    let current = id;
    const seen = new Set([id]);
    for (;;) {
      const next =
        direct.get(current) ?? run([current]).find((r) => r.mergedId === current)?.survivorId;
      if (next === undefined || seen.has(next)) break;
      seen.add(next);
      current = next;
    }
    if (current !== id) resolved.set(id, current);
  }
  return resolved;
}

/** The MRNs of the records merged into each of these survivors ("also known as"). */
export function aliasMrns(
  db: ReplicaReader,
  survivorIds: readonly string[],
): Map<string, string[]> {
  const aliases = new Map<string, string[]>();
  if (survivorIds.length === 0) return aliases;
  for (const row of statements(db).aliases.all({ ids: JSON.stringify(survivorIds) })) {
    const list = aliases.get(row.survivorId) ?? [];
    if (!list.includes(row.mrn)) list.push(row.mrn);
    aliases.set(row.survivorId, list.sort());
  }
  return aliases;
}

/** Where one patient record lives now. */
export const survivorOf = (db: ReplicaReader, patientId: string): string =>
  resolveMergedPatients(db, [patientId]).get(patientId) ?? patientId;

/** One side of the comparison: who the record says the person is, and what it holds. */
function describeRecord(db: ReplicaReader, patientId: string) {
  const patient = db.select().from(patients).where(eq(patients.id, patientId)).get();
  if (!patient) refuse('not_found', 'That patient record is not on this workstation.', 'not_found');
  const survivorId = survivorOf(db, patientId);
  const mergedInto =
    survivorId === patientId
      ? null
      : (db
          .select({ id: patients.id, mrn: patients.mrn })
          .from(patients)
          .where(eq(patients.id, survivorId))
          .get() ?? null);
  const stays = db
    .select({
      id: visits.id,
      status: visits.status,
      admittedAt: visits.admittedAt,
      dischargedAt: visits.dischargedAt,
      wardName: wards.name,
      bedNumber: beds.number,
    })
    .from(visits)
    .innerJoin(wards, eq(wards.id, visits.wardId))
    .leftJoin(beds, eq(beds.id, visits.bedId))
    .where(eq(visits.patientId, patientId))
    .orderBy(visits.admittedAt)
    .all();
  const holds = Object.fromEntries(
    statements(db).counts.map(({ table, statement }) => [table, statement.get(patientId)?.n ?? 0]),
  );
  return {
    patient: {
      id: patient.id,
      mrn: patient.mrn,
      firstName: patient.firstName,
      lastName: patient.lastName,
      dateOfBirth: patient.dateOfBirth,
      sex: patient.sex,
      phone: patient.phone,
      email: patient.email,
      address: patient.address,
      emergencyContactName: patient.emergencyContactName,
      emergencyContactPhone: patient.emergencyContactPhone,
      allergies: patient.allergies,
      registeredAt: patient.createdAt,
    },
    alsoKnownAs: aliasMrns(db, [patientId]).get(patientId) ?? [],
    mergedInto,
    stays,
    holds,
  };
}

/** The two records side by side, as the merge screen shows them. */
export function comparePatients(db: ReplicaReader, input: z.input<typeof ComparePatientsInput>) {
  const { patientIds } = parseInput(ComparePatientsInput, input);
  return { records: patientIds.map((id) => describeRecord(db, id)) };
}

/** Merges `mergedId` into `survivorId`: one synced, audited entry the server carries out. */
export function mergePatients(context: WriteContext, input: MergePatientsInput) {
  const fields = parseInput(MergePatientsInput, input);
  return writeClinical(context, (batch) => {
    const found = batch.db
      .select({ id: patients.id, mrn: patients.mrn, deletedAt: patients.deletedAt })
      .from(patients)
      .where(inArray(patients.id, [fields.survivorId, fields.mergedId]))
      .all();
    const survivor = found.find((p) => p.id === fields.survivorId);
    const merged = found.find((p) => p.id === fields.mergedId);
    if (!survivor || !merged || survivor.deletedAt !== null || merged.deletedAt !== null)
      refuse(
        'not_found',
        'One of the two patient records is not on this workstation.',
        'not_found',
      );
    const resolved = resolveMergedPatients(batch.db, [survivor.id, merged.id]);
    for (const record of [survivor, merged]) {
      const into = resolved.get(record.id);
      if (into === undefined) continue;
      const target = batch.db
        .select({ mrn: patients.mrn })
        .from(patients)
        .where(eq(patients.id, into))
        .get();
      refuse(
        'already_merged',
        `MRN ${record.mrn} was already merged into MRN ${target?.mrn ?? 'another record'}; compare that record instead.`,
      );
    }
    return batch.insert(
      patientMerges,
      {
        survivorPatientId: survivor.id,
        mergedPatientId: merged.id,
        mergedBy: batch.actor.userId,
        mergedAt: batch.now,
        reason: fields.reason ?? null,
      },
      { action: 'patient.merge' },
    );
  });
}

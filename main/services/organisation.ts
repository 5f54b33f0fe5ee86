/**
 * The hospital's wards and beds as an administrator sets them up on the Admin screen
 * (docs/SCREENS.md "Organisation"): every change is a change of this hospital's synced rows
 * through the single write path (row, outbox, audit in one transaction), pushed and judged by the
 * server like any other (the catalog's permissions: `hospitals:manage` for the hospital, wards
 * and new beds, `beds:manage` for a bed's status; tenancy: only this workstation's hospital).
 * A CSV import is one transaction here: all its wards and beds or none. New regions and
 * hospitals are made on the server by IT (`npm run server -- org`): a workstation acts for one
 * hospital that already exists.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { beds, hospitals, regions, wards } from '../../db/local/schema';
import {
  BedFieldsSchema,
  HospitalFieldsSchema,
  WardFieldsSchema,
} from '../../shared/schemas/organisation';
import { IdSchema } from '../../shared/schemas/common';
import {
  MAX_IMPORT_BYTES,
  planWardBedImport,
  type ImportProblem,
} from '../../shared/ward-bed-import';
import { refuse } from '../errors';
import type { ReplicaReader } from './replica-reader';
import { parseInput } from './validate';
import { writeClinical, type WriteBatch, type WriteContext } from './write-path';

/** What a manager may set; occupied and free again follow admissions and discharges. */
export const MANAGED_BED_STATUSES = ['available', 'maintenance', 'reserved'] as const;

export type ManagedBedStatus = (typeof MANAGED_BED_STATUSES)[number];

export const EditHospitalInput = HospitalFieldsSchema.pick({ name: true, bedCapacity: true });
export type EditHospitalInput = z.input<typeof EditHospitalInput>;

export const AddWardInput = WardFieldsSchema;
export type AddWardInput = z.input<typeof AddWardInput>;

export const EditWardInput = WardFieldsSchema.pick({ name: true, floor: true }).extend({
  wardId: IdSchema,
});
export type EditWardInput = z.input<typeof EditWardInput>;

export const AddBedInput = BedFieldsSchema.pick({ wardId: true, number: true }).extend({
  status: z.enum(MANAGED_BED_STATUSES).default('available'),
});
export type AddBedInput = z.input<typeof AddBedInput>;

export const SetBedStatusInput = z.object({
  bedId: IdSchema,
  status: z.enum(MANAGED_BED_STATUSES),
});
export type SetBedStatusInput = z.input<typeof SetBedStatusInput>;

export const ImportWardsInput = z.object({ csv: z.string().max(MAX_IMPORT_BYTES) });
export type ImportWardsInput = z.input<typeof ImportWardsInput>;

export interface OrganisationBed {
  id: string;
  number: string;
  floor: number;
  status: string;
}

export interface OrganisationWard {
  id: string;
  code: string;
  name: string;
  floor: number;
  beds: OrganisationBed[];
}

export interface OrganisationView {
  hospital: {
    id: string;
    code: string;
    name: string;
    bedCapacity: number;
    region: string | null;
    /** Staff see only their assigned wards' charts; others by break-glass (issue 15). */
    wardAssignment: boolean;
  };
  wards: OrganisationWard[];
  bedCount: number;
}

/** This hospital, its wards and their beds as this workstation holds them. */
export function readOrganisation(db: ReplicaReader, hospitalId: string): OrganisationView {
  const hospital = db
    .select({
      id: hospitals.id,
      code: hospitals.code,
      name: hospitals.name,
      bedCapacity: hospitals.bedCapacity,
      wardAssignment: hospitals.wardAssignment,
      region: regions.name,
    })
    .from(hospitals)
    .leftJoin(regions, eq(regions.id, hospitals.regionId))
    .where(eq(hospitals.id, hospitalId))
    .get();
  if (!hospital)
    refuse(
      'not_found',
      'This workstation has not received its hospital yet: sync first.',
      'not_found',
    );
  const wardRows = db
    .select({ id: wards.id, code: wards.code, name: wards.name, floor: wards.floor })
    .from(wards)
    .where(and(eq(wards.hospitalId, hospitalId), isNull(wards.deletedAt)))
    .orderBy(asc(wards.code))
    .all();
  const bedRows = db
    .select({
      id: beds.id,
      wardId: beds.wardId,
      number: beds.number,
      floor: beds.floor,
      status: beds.status,
    })
    .from(beds)
    .where(and(eq(beds.hospitalId, hospitalId), isNull(beds.deletedAt)))
    .orderBy(asc(beds.number))
    .all();
  return {
    hospital,
    wards: wardRows.map((ward) => ({
      ...ward,
      beds: bedRows
        .filter((bed) => bed.wardId === ward.id)
        .map(({ id, number, floor, status }) => ({ id, number, floor, status })),
    })),
    bedCount: bedRows.length,
  };
}

export function editHospital(context: WriteContext, input: EditHospitalInput) {
  const fields = parseInput(EditHospitalInput, input);
  return writeClinical(context, (batch) =>
    batch.update(hospitals, context.actor.hospitalId, fields, { action: 'hospital.update' }),
  );
}

function wardWithCode(batch: WriteBatch, code: string) {
  return batch.db
    .select({ id: wards.id })
    .from(wards)
    .where(
      and(
        eq(wards.hospitalId, batch.actor.hospitalId),
        eq(wards.code, code),
        isNull(wards.deletedAt),
      ),
    )
    .get();
}

function bedWithNumber(batch: WriteBatch, number: string) {
  return batch.db
    .select({ id: beds.id })
    .from(beds)
    .where(and(eq(beds.hospitalId, batch.actor.hospitalId), eq(beds.number, number)))
    .get();
}

function ownWard(batch: WriteBatch, wardId: string) {
  const ward = batch.db.select().from(wards).where(eq(wards.id, wardId)).get();
  if (!ward || ward.deletedAt !== null || ward.hospitalId !== batch.actor.hospitalId)
    refuse('not_found', 'That ward is not on this workstation.', 'not_found');
  return ward;
}

function insertWard(batch: WriteBatch, ward: z.output<typeof AddWardInput>) {
  if (wardWithCode(batch, ward.code))
    refuse('ward_code_taken', `This hospital already has a ward with the code ${ward.code}.`);
  return batch.insert(wards, ward, { action: 'ward.create' });
}

function insertBed(
  batch: WriteBatch,
  bed: { wardId: string; number: string; floor: number; status: ManagedBedStatus },
) {
  if (bedWithNumber(batch, bed.number))
    refuse('bed_number_taken', `This hospital already has a bed numbered ${bed.number}.`);
  return batch.insert(beds, bed, { action: 'bed.create' });
}

export function addWard(context: WriteContext, input: AddWardInput) {
  const ward = parseInput(AddWardInput, input);
  return writeClinical(context, (batch) => insertWard(batch, ward));
}

export function editWard(context: WriteContext, input: EditWardInput) {
  const { wardId, ...fields } = parseInput(EditWardInput, input);
  return writeClinical(context, (batch) => {
    ownWard(batch, wardId);
    return batch.update(wards, wardId, fields, { action: 'ward.update' });
  });
}

/** A new bed takes its ward's floor. */
export function addBed(context: WriteContext, input: AddBedInput) {
  const bed = parseInput(AddBedInput, input);
  return writeClinical(context, (batch) => {
    const ward = ownWard(batch, bed.wardId);
    return insertBed(batch, { ...bed, floor: ward.floor });
  });
}

/** Maintenance, reserved or available again; a bed with a patient in it keeps its status. */
export function setBedStatus(context: WriteContext, input: SetBedStatusInput) {
  const fields = parseInput(SetBedStatusInput, input);
  return writeClinical(context, (batch) => {
    const bed = batch.db.select().from(beds).where(eq(beds.id, fields.bedId)).get();
    if (!bed || bed.deletedAt !== null || bed.hospitalId !== batch.actor.hospitalId)
      refuse('not_found', 'That bed is not on this workstation.', 'not_found');
    if (bed.status === 'occupied')
      refuse(
        'bed_occupied',
        `Bed ${bed.number} has a patient in it: transfer or discharge them before changing the bed's status.`,
      );
    return batch.update(
      beds,
      bed.id,
      { status: fields.status },
      { action: `bed.${fields.status}` },
    );
  });
}

export type ImportOutcome =
  { ok: true; wards: string[]; beds: number } | { ok: false; problems: ImportProblem[] };

/**
 * The whole file or nothing, in one transaction: checked against this hospital's wards and beds
 * inside it, so nothing written meanwhile can be half-imported over.
 */
export function importWardsAndBeds(context: WriteContext, input: ImportWardsInput): ImportOutcome {
  const { csv } = parseInput(ImportWardsInput, input);
  return writeClinical(context, (batch): ImportOutcome => {
    const hospitalId = batch.actor.hospitalId;
    const existingWards = batch.db
      .select({ id: wards.id, code: wards.code, name: wards.name, floor: wards.floor })
      .from(wards)
      .where(and(eq(wards.hospitalId, hospitalId), isNull(wards.deletedAt)))
      .all();
    const bedNumbers = batch.db
      .select({ number: beds.number })
      .from(beds)
      .where(eq(beds.hospitalId, hospitalId))
      .all()
      .map((bed) => bed.number);
    const result = planWardBedImport(csv, { wards: existingWards, bedNumbers });
    if (!result.ok) return result;
    const wardIds = new Map(existingWards.map((ward) => [ward.code, ward.id]));
    for (const ward of result.plan.wards) wardIds.set(ward.code, insertWard(batch, ward).id);
    for (const { wardCode, ...bed } of result.plan.beds) {
      const wardId = wardIds.get(wardCode);
      if (wardId === undefined) throw new Error(`ward ${wardCode} missing from the plan`);
      insertBed(batch, { ...bed, wardId });
    }
    return {
      ok: true,
      wards: result.plan.wards.map((ward) => ward.code),
      beds: result.plan.beds.length,
    };
  });
}

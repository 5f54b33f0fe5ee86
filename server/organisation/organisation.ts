/**
 * Regions, hospitals, wards and beds as IT sets them up on the server (`npm run server -- org …`,
 * docs/SERVER.md "Organisation"). Each change is checked with the catalog's own schemas, written
 * in one transaction with its record in `admin_actions`, and reaches the hospital's workstations
 * through the change feed like any other row (the feed triggers fill it; `version` is raised on
 * every edit so a workstation takes the newer row). The server console acts as a super
 * administrator: it may act for any hospital. Administrators on a workstation make the same
 * ward and bed changes through the workstation's write path (main/services/organisation.ts).
 */
import type pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { recordAdminAction } from '../admin/admin-actions';
import { inTransaction } from '../db/transaction';
import { z } from 'zod';
import {
  BedFieldsSchema,
  HospitalFieldsSchema,
  RegionFieldsSchema,
  WardFieldsSchema,
} from '../../shared/schemas/organisation';
import { describeZodError } from '../../shared/validation';
import {
  describeImportProblems,
  planWardBedImport,
  type ImportPlan,
  type ImportProblem,
} from '../../shared/ward-bed-import';

export type OrganisationErrorCode = 'invalid' | 'not_found' | 'taken' | 'import_refused';

/** A refusal IT can act on: `code` for scripts, the message for the person at the console. */
export class OrganisationError extends Error {
  constructor(
    readonly code: OrganisationErrorCode,
    message: string,
    readonly problems: readonly ImportProblem[] = [],
  ) {
    super(message);
    this.name = 'OrganisationError';
  }
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new OrganisationError('invalid', describeZodError(parsed.error));
  return parsed.data;
}

const CodeSchema = z.string().trim().min(1);

export const NewRegionSchema = RegionFieldsSchema.pick({ code: true, name: true });
export const RegionEditSchema = RegionFieldsSchema.pick({ name: true }).partial();
export const NewHospitalSchema = HospitalFieldsSchema.pick({
  code: true,
  name: true,
  bedCapacity: true,
}).extend({ regionCode: CodeSchema });
export const HospitalEditSchema = HospitalFieldsSchema.pick({ name: true, bedCapacity: true })
  .extend({ regionCode: CodeSchema })
  .partial();
export const NewWardSchema = WardFieldsSchema;
export const WardEditSchema = WardFieldsSchema.pick({ name: true, floor: true }).partial();
export const NewBedSchema = BedFieldsSchema.pick({ number: true, floor: true })
  .extend({
    wardCode: CodeSchema,
    status: BedFieldsSchema.shape.status.exclude(['occupied']).default('available'),
  })
  .partial({ floor: true });
export const BedEditSchema = z
  .object({
    wardCode: CodeSchema,
    floor: BedFieldsSchema.shape.floor,
    // Occupied and available again follow admissions and discharges, never a console.
    status: BedFieldsSchema.shape.status.exclude(['occupied']),
  })
  .partial();

type Client = pg.PoolClient;

async function findOne<Row extends pg.QueryResultRow>(
  client: Client,
  sql: string,
  values: unknown[],
  missing: string,
): Promise<Row> {
  const result = await client.query<Row>(sql, values);
  const row = result.rows[0];
  if (!row) throw new OrganisationError('not_found', missing);
  return row;
}

const regionByCode = (client: Client, code: string) =>
  findOne<{ id: string }>(
    client,
    'select id from regions where code = $1 and deleted_at is null',
    [code],
    `There is no region with the code ${code}.`,
  );

const hospitalByCode = (client: Client, code: string) =>
  findOne<{ id: string; region_id: string }>(
    client,
    'select id, region_id from hospitals where code = $1 and deleted_at is null',
    [code],
    `There is no hospital with the code ${code}.`,
  );

const wardByCode = (client: Client, hospitalId: string, code: string) =>
  findOne<{ id: string; floor: number }>(
    client,
    'select id, floor from wards where hospital_id = $1 and code = $2 and deleted_at is null',
    [hospitalId, code],
    `This hospital has no ward with the code ${code}.`,
  );

/** A unique-index refusal from PostgreSQL as a sentence; anything else is thrown as it is. */
function takenAs(message: string): (error: unknown) => never {
  return (error: unknown) => {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === '23505')
      throw new OrganisationError('taken', message);
    throw error;
  };
}

/** Sets the given columns, raises the row's version and stamps the change, in one statement. */
async function updateRow(
  client: Client,
  table: 'regions' | 'hospitals' | 'wards' | 'beds',
  id: string,
  columns: Record<string, unknown>,
): Promise<void> {
  const entries = Object.entries(columns).filter(([, value]) => value !== undefined);
  if (entries.length === 0) throw new OrganisationError('invalid', 'Nothing to change was given.');
  const sets = entries.map(([column], index) => `${column} = $${String(index + 2)}`);
  await client.query(
    `update ${table} set ${sets.join(', ')}, version = version + 1, updated_at = now(), updated_by = null
      where id = $1`,
    [id, ...entries.map(([, value]) => value)],
  );
}

export async function addRegion(pool: pg.Pool, input: unknown) {
  const region = parse(NewRegionSchema, input);
  return inTransaction(pool, async (client) => {
    const id = uuidv7();
    await client
      .query(`insert into regions (id, hospital_id, code, name) values ($1, null, $2, $3)`, [
        id,
        region.code,
        region.name,
      ])
      .catch(takenAs(`A region with the code ${region.code} already exists.`));
    await recordAdminAction(
      client,
      { hospitalId: null, action: 'region.create', entity: 'regions', entityId: id },
      region,
    );
    return { regionId: id, code: region.code };
  });
}

export async function editRegion(pool: pg.Pool, code: string, input: unknown) {
  const change = parse(RegionEditSchema, input);
  return inTransaction(pool, async (client) => {
    const { id } = await regionByCode(client, code);
    await updateRow(client, 'regions', id, { name: change.name });
    await recordAdminAction(
      client,
      { hospitalId: null, action: 'region.update', entity: 'regions', entityId: id },
      change,
    );
    return { regionId: id, code };
  });
}

export async function addHospital(pool: pg.Pool, input: unknown) {
  const hospital = parse(NewHospitalSchema, input);
  return inTransaction(pool, async (client) => {
    const region = await regionByCode(client, hospital.regionCode);
    const id = uuidv7();
    await client
      .query(
        `insert into hospitals (id, hospital_id, code, name, region_id, bed_capacity)
         values ($1, $1, $2, $3, $4, $5)`,
        [id, hospital.code, hospital.name, region.id, hospital.bedCapacity],
      )
      .catch(takenAs(`A hospital with the code ${hospital.code} already exists.`));
    await recordAdminAction(
      client,
      { hospitalId: id, action: 'hospital.create', entity: 'hospitals', entityId: id },
      hospital,
    );
    return { hospitalId: id, code: hospital.code };
  });
}

export async function editHospital(pool: pg.Pool, code: string, input: unknown) {
  const change = parse(HospitalEditSchema, input);
  return inTransaction(pool, async (client) => {
    const { id } = await hospitalByCode(client, code);
    const regionId =
      change.regionCode === undefined
        ? undefined
        : (await regionByCode(client, change.regionCode)).id;
    await updateRow(client, 'hospitals', id, {
      name: change.name,
      bed_capacity: change.bedCapacity,
      region_id: regionId,
    });
    await recordAdminAction(
      client,
      { hospitalId: id, action: 'hospital.update', entity: 'hospitals', entityId: id },
      change,
    );
    return { hospitalId: id, code };
  });
}

async function insertWard(
  client: Client,
  hospitalId: string,
  ward: z.infer<typeof NewWardSchema>,
): Promise<string> {
  const id = uuidv7();
  await client
    .query('insert into wards (id, hospital_id, code, name, floor) values ($1, $2, $3, $4, $5)', [
      id,
      hospitalId,
      ward.code,
      ward.name,
      ward.floor,
    ])
    .catch(takenAs(`This hospital already has a ward with the code ${ward.code}.`));
  return id;
}

async function insertBed(
  client: Client,
  hospitalId: string,
  bed: { wardId: string; number: string; floor: number; status: string },
): Promise<string> {
  const id = uuidv7();
  await client
    .query(
      `insert into beds (id, hospital_id, ward_id, number, floor, status)
       values ($1, $2, $3, $4, $5, $6)`,
      [id, hospitalId, bed.wardId, bed.number, bed.floor, bed.status],
    )
    .catch(takenAs(`This hospital already has a bed numbered ${bed.number}.`));
  return id;
}

export async function addWard(pool: pg.Pool, hospitalCode: string, input: unknown) {
  const ward = parse(NewWardSchema, input);
  return inTransaction(pool, async (client) => {
    const hospital = await hospitalByCode(client, hospitalCode);
    const id = await insertWard(client, hospital.id, ward);
    await recordAdminAction(
      client,
      { hospitalId: hospital.id, action: 'ward.create', entity: 'wards', entityId: id },
      ward,
    );
    return { wardId: id, code: ward.code };
  });
}

export async function editWard(
  pool: pg.Pool,
  hospitalCode: string,
  wardCode: string,
  input: unknown,
) {
  const change = parse(WardEditSchema, input);
  return inTransaction(pool, async (client) => {
    const hospital = await hospitalByCode(client, hospitalCode);
    const { id } = await wardByCode(client, hospital.id, wardCode);
    await updateRow(client, 'wards', id, { name: change.name, floor: change.floor });
    await recordAdminAction(
      client,
      { hospitalId: hospital.id, action: 'ward.update', entity: 'wards', entityId: id },
      change,
    );
    return { wardId: id, code: wardCode };
  });
}

export async function addBed(pool: pg.Pool, hospitalCode: string, input: unknown) {
  const bed = parse(NewBedSchema, input);
  return inTransaction(pool, async (client) => {
    const hospital = await hospitalByCode(client, hospitalCode);
    const ward = await wardByCode(client, hospital.id, bed.wardCode);
    const floor = bed.floor ?? ward.floor;
    const id = await insertBed(client, hospital.id, { ...bed, wardId: ward.id, floor });
    await recordAdminAction(
      client,
      { hospitalId: hospital.id, action: 'bed.create', entity: 'beds', entityId: id },
      { ...bed, floor },
    );
    return { bedId: id, number: bed.number };
  });
}

export async function editBed(pool: pg.Pool, hospitalCode: string, number: string, input: unknown) {
  const change = parse(BedEditSchema, input);
  return inTransaction(pool, async (client) => {
    const hospital = await hospitalByCode(client, hospitalCode);
    const bed = await findOne<{ id: string; status: string }>(
      client,
      'select id, status from beds where hospital_id = $1 and number = $2 and deleted_at is null for update',
      [hospital.id, number],
      `This hospital has no bed numbered ${number}.`,
    );
    if (bed.status === 'occupied' && (change.status !== undefined || change.wardCode !== undefined))
      throw new OrganisationError(
        'invalid',
        `Bed ${number} is occupied by a patient: transfer or discharge them first.`,
      );
    const wardId =
      change.wardCode === undefined
        ? undefined
        : (await wardByCode(client, hospital.id, change.wardCode)).id;
    await updateRow(client, 'beds', bed.id, {
      status: change.status,
      floor: change.floor,
      ward_id: wardId,
    });
    await recordAdminAction(
      client,
      { hospitalId: hospital.id, action: 'bed.update', entity: 'beds', entityId: bed.id },
      change,
    );
    return { bedId: bed.id, number };
  });
}

/**
 * The whole CSV file or nothing: it is checked against the hospital's wards and beds inside the
 * transaction that writes it, so a bed added meanwhile is named rather than half-imported.
 */
export async function importWardsAndBeds(pool: pg.Pool, hospitalCode: string, csv: string) {
  return inTransaction(pool, async (client) => {
    const hospital = await hospitalByCode(client, hospitalCode);
    // Two imports into one hospital at once: the second waits and then sees the first's beds.
    await client.query('select id from hospitals where id = $1 for update', [hospital.id]);
    const wards = await client.query<{ id: string; code: string; name: string; floor: number }>(
      'select id, code, name, floor from wards where hospital_id = $1 and deleted_at is null',
      [hospital.id],
    );
    const beds = await client.query<{ number: string }>(
      'select number from beds where hospital_id = $1',
      [hospital.id],
    );
    const result = planWardBedImport(csv, {
      wards: wards.rows,
      bedNumbers: beds.rows.map((bed) => bed.number),
    });
    if (!result.ok)
      throw new OrganisationError(
        'import_refused',
        `Nothing was imported:\n${describeImportProblems(result.problems)}`,
        result.problems,
      );
    const wardIds = new Map(wards.rows.map((ward) => [ward.code, ward.id]));
    for (const ward of result.plan.wards)
      wardIds.set(ward.code, await insertWard(client, hospital.id, ward));
    for (const bed of result.plan.beds) {
      const wardId = wardIds.get(bed.wardCode);
      if (wardId === undefined) throw new Error(`ward ${bed.wardCode} missing from the plan`);
      await insertBed(client, hospital.id, { ...bed, wardId });
    }
    await recordAdminAction(
      client,
      { hospitalId: hospital.id, action: 'organisation.import', entity: 'wards', entityId: null },
      { wards: result.plan.wards.length, beds: result.plan.beds.length },
    );
    return importSummary(result.plan);
  });
}

export function importSummary(plan: ImportPlan) {
  return {
    wards: plan.wards.map((ward) => ward.code),
    beds: plan.beds.length,
  };
}

export interface OrganisationListing {
  regions: { code: string; name: string }[];
  hospitals: { code: string; name: string; regionCode: string; bedCapacity: number }[];
  wards: { hospitalCode: string; code: string; name: string; floor: number; beds: number }[];
  beds: { hospitalCode: string; wardCode: string; number: string; floor: number; status: string }[];
}

/** Everything, or one hospital's wards and beds with its region. */
export async function listOrganisation(
  pool: pg.Pool,
  options: { hospitalCode?: string } = {},
): Promise<OrganisationListing> {
  const code = options.hospitalCode ?? null;
  const [regions, hospitals, wards, beds] = await Promise.all([
    pool.query<{ code: string; name: string }>(
      'select code, name from regions where deleted_at is null order by code',
    ),
    pool.query<{ code: string; name: string; regionCode: string; bedCapacity: number }>(
      `select h.code, h.name, r.code as "regionCode", h.bed_capacity as "bedCapacity"
         from hospitals h join regions r on r.id = h.region_id
        where h.deleted_at is null and ($1::text is null or h.code = $1) order by h.code`,
      [code],
    ),
    pool.query<{ hospitalCode: string; code: string; name: string; floor: number; beds: number }>(
      `select h.code as "hospitalCode", w.code, w.name, w.floor,
              (select count(*)::int from beds b where b.ward_id = w.id and b.deleted_at is null) as beds
         from wards w join hospitals h on h.id = w.hospital_id
        where w.deleted_at is null and ($1::text is null or h.code = $1) order by h.code, w.code`,
      [code],
    ),
    pool.query<{
      hospitalCode: string;
      wardCode: string;
      number: string;
      floor: number;
      status: string;
    }>(
      `select h.code as "hospitalCode", w.code as "wardCode", b.number, b.floor, b.status
         from beds b join wards w on w.id = b.ward_id join hospitals h on h.id = b.hospital_id
        where b.deleted_at is null and ($1::text is null or h.code = $1)
        order by h.code, w.code, b.number`,
      [code],
    ),
  ]);
  return {
    regions: regions.rows,
    hospitals: hospitals.rows,
    wards: wards.rows,
    beds: beds.rows,
  };
}

/**
 * Regions, hospitals, wards and beds made on the server (`npm run server -- org`): checked with
 * the catalog's rules, a CSV import all or nothing with its problems by line, each change in
 * admin_actions, and each row handed to the hospital's workstations by the change feed.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seedCentralDatabase } from '../../../db/central/seed';
import {
  addBed,
  addHospital,
  addRegion,
  addWard,
  editBed,
  editHospital,
  importWardsAndBeds,
  OrganisationError,
} from '../../../server/organisation/organisation';
import { pullChanges } from '../../../server/sync/pull';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

let database: TestDatabase;
let hospitalId: string;
const pool = () => database.db.$client;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedCentralDatabase(database.db, { demo: false });
  await addRegion(pool(), { code: 'EAST', name: 'East region' });
  ({ hospitalId } = await addHospital(pool(), {
    code: 'HBH',
    name: 'Harbour Hospital',
    regionCode: 'EAST',
    bedCapacity: 10,
  }));
});

afterAll(async () => {
  await database.drop();
});

async function refusal(promise: Promise<unknown>): Promise<OrganisationError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OrganisationError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const count = async (table: string) =>
  Number(
    (
      await pool().query<{ n: string }>(
        `select count(*) as n from ${table} where hospital_id = $1`,
        [hospitalId],
      )
    ).rows[0]?.n,
  );

test('a code the catalog refuses, an unknown region and a taken code are sentences', async () => {
  expect((await refusal(addRegion(pool(), { code: 'east lower', name: 'X' }))).code).toBe(
    'invalid',
  );
  const noRegion = await refusal(
    addHospital(pool(), { code: 'X1', name: 'X', regionCode: 'NOWHERE', bedCapacity: 0 }),
  );
  expect(noRegion.message).toBe('There is no region with the code NOWHERE.');
  const taken = await refusal(addRegion(pool(), { code: 'EAST', name: 'Again' }));
  expect(taken).toMatchObject({
    code: 'taken',
    message: 'A region with the code EAST already exists.',
  });
});

test('a CSV file with one bad line imports nothing and names the line', async () => {
  const csv = [
    'ward_code,ward_name,floor,bed_number,bed_status',
    'SUR,Surgery,3,S-1,',
    'SUR,Surgery,3,S-2,broken',
  ].join('\n');
  const refused = await refusal(importWardsAndBeds(pool(), 'HBH', csv));
  expect(refused.code).toBe('import_refused');
  expect(refused.problems).toEqual([expect.objectContaining({ line: 3 })]);
  expect(refused.message).toMatch(/^Nothing was imported:\nline 3: bed status:/);
  expect(await count('wards')).toBe(0);
  expect(await count('beds')).toBe(0);
});

test('a good file is imported whole, recorded, and reaches the hospital by pull', async () => {
  await addWard(pool(), 'HBH', { code: 'OLD', name: 'Old wing', floor: 0 });
  const csv = [
    'ward_code,ward_name,floor,bed_number,bed_status',
    'SUR,Surgery,3,S-1,',
    'SUR,Surgery,3,S-2,reserved',
    'OLD,Old wing,0,O-1,maintenance',
  ].join('\n');
  expect(await importWardsAndBeds(pool(), 'HBH', csv)).toEqual({ wards: ['SUR'], beds: 3 });
  expect(await count('wards')).toBe(2);
  expect(await count('beds')).toBe(3);
  const again = await refusal(importWardsAndBeds(pool(), 'HBH', csv));
  expect(again.problems.map((problem) => problem.line)).toEqual([2, 3, 4]);

  const actions = await pool().query<{ action: string; actor: string }>(
    'select action, actor from admin_actions where hospital_id = $1 order by at, id',
    [hospitalId],
  );
  expect(actions.rows.map((row) => row.action)).toEqual([
    'hospital.create',
    'ward.create',
    'organisation.import',
  ]);
  expect(new Set(actions.rows.map((row) => row.actor))).toEqual(new Set(['cli']));

  const page = JSON.parse(
    await pullChanges(pool(), { hospitalId, cursor: undefined, limit: 500, now: new Date() }),
  ) as {
    changes: { table: string; row: Record<string, unknown> }[];
  };
  const pulledBeds = page.changes.filter((change) => change.table === 'beds');
  expect(pulledBeds.map((change) => change.row.number).sort()).toEqual(['O-1', 'S-1', 'S-2']);
});

test('an edit raises the version; an occupied bed keeps its status and ward', async () => {
  const before = await pool().query<{ version: number }>(
    'select version from hospitals where id = $1',
    [hospitalId],
  );
  await editHospital(pool(), 'HBH', { bedCapacity: 40 });
  const after = await pool().query<{ version: number; bed_capacity: number }>(
    'select version, bed_capacity from hospitals where id = $1',
    [hospitalId],
  );
  expect(after.rows[0]).toEqual({
    version: (before.rows[0]?.version ?? 0) + 1,
    bed_capacity: 40,
  });

  await addBed(pool(), 'HBH', { wardCode: 'SUR', number: 'S-3' });
  await editBed(pool(), 'HBH', 'S-3', { status: 'maintenance' });
  await pool().query(`update beds set status = 'occupied' where number = 'S-3'`);
  const occupied = await refusal(editBed(pool(), 'HBH', 'S-3', { status: 'available' }));
  expect(occupied.message).toBe(
    'Bed S-3 is occupied by a patient: transfer or discharge them first.',
  );
  expect((await refusal(editBed(pool(), 'HBH', 'S-3', { status: 'occupied' }))).code).toBe(
    'invalid',
  );
});

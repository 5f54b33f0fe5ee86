import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCentralDatabase } from '../../../db/central/seed';
import { seedLocalDatabase } from '../../../db/local/seed';
import {
  DEMO_HOSPITAL_CODE,
  DEMO_HOSPITAL_ID,
  DEMO_USERS,
  SECOND_HOSPITAL_ID,
  SECOND_HOSPITAL_USERS,
} from '../../../db/seed/demo-data';
import { SYNCED_TABLES } from '../../../shared/synced-tables';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { createTestReplica, type TestReplica } from '../../support/sqlite';
import argon2 from 'argon2';

const FIRST_LOAD = new Date('2026-11-23T12:00:00.000Z');
const SECOND_LOAD = new Date('2026-11-24T09:30:00.000Z');

describe('the demo data set', () => {
  let pg: TestDatabase;
  let replica: TestReplica;
  beforeAll(async () => {
    pg = await createTestDatabase();
    replica = createTestReplica();
  });
  afterAll(async () => {
    await pg.drop();
    replica.close();
  });

  const sqliteSnapshot = () =>
    Object.fromEntries(
      SYNCED_TABLES.map(({ name }) => [
        name,
        replica.db.all(sql`select * from ${sql.identifier(name)} order by id`),
      ]),
    );

  const postgresSnapshot = async () => {
    const entries = await Promise.all(
      [...SYNCED_TABLES.map(({ name }) => name), 'user_credentials'].map(async (name) => [
        name,
        (await pg.db.execute(sql`select * from ${sql.identifier(name)} order by 1`)).rows,
      ]),
    );
    return Object.fromEntries(entries) as Record<string, unknown[]>;
  };

  it('loads into SQLite, and loading it again a day later changes nothing', () => {
    seedLocalDatabase(replica.db, { demo: true, now: FIRST_LOAD });
    const first = sqliteSnapshot();
    seedLocalDatabase(replica.db, { demo: true, now: SECOND_LOAD });
    expect(sqliteSnapshot()).toEqual(first);
    expect(first.patients).toHaveLength(6);
    expect(first.users).toHaveLength(DEMO_USERS.length);
  });

  it('loads into PostgreSQL, and loading it again a day later changes nothing', async () => {
    await seedCentralDatabase(pg.db, { demo: true, now: FIRST_LOAD });
    const first = await postgresSnapshot();
    await seedCentralDatabase(pg.db, { demo: true, now: SECOND_LOAD });
    expect(await postgresSnapshot()).toEqual(first);
    expect(first.user_credentials).toHaveLength(DEMO_USERS.length + SECOND_HOSPITAL_USERS.length);
  });

  it('holds what the protocol promises: NORTH, NGH and SGH, one user per role, argon2id passwords', async () => {
    const hospital = await pg.db.execute<{ code: string; region: string }>(
      sql`select h.code, r.code as region from hospitals h join regions r on r.id = h.region_id
          order by h.code`,
    );
    expect(hospital.rows).toEqual([
      { code: DEMO_HOSPITAL_CODE, region: 'NORTH' },
      { code: 'SGH', region: 'NORTH' },
    ]);
    const roles = await pg.db.execute<{ role: string }>(sql`select distinct role from users`);
    expect(roles.rows).toHaveLength(9);
    const nurse = await pg.db.execute<{ password_hash: string }>(
      sql`select c.password_hash from user_credentials c join users u on u.id = c.user_id
          where u.email = 'nurse@hass.example'`,
    );
    const hash = nurse.rows[0]?.password_hash ?? '';
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await argon2.verify(hash, 'nurse123')).toBe(true);
  });

  it('has what a ward demo needs: occupied beds, abnormal vitals, low and expiring stock', async () => {
    const count = async (query: ReturnType<typeof sql>) =>
      Number((await pg.db.execute<{ n: string }>(query)).rows[0]?.n);
    const ngh = DEMO_HOSPITAL_ID;
    expect(
      await count(
        sql`select count(*) as n from beds where status = 'occupied' and hospital_id = ${ngh}`,
      ),
    ).toBe(6);
    expect(
      await count(
        sql`select count(*) as n from visits where status = 'admitted' and hospital_id = ${ngh}`,
      ),
    ).toBe(6);
    expect(
      await count(sql`select count(*) as n from vitals where jsonb_array_length(abnormal) > 0`),
    ).toBeGreaterThan(0);
    // How many are in stock is the sum of each item's movements.
    expect(
      await count(
        sql`select count(*) as n from inventory i
              where (select sum(m.quantity) from inventory_movements m where m.item_id = i.id) <= i.threshold`,
      ),
    ).toBe(1);
    expect(
      await count(
        sql`select count(*) as n from inventory where expires_on < ${FIRST_LOAD.toISOString()}::date + 30`,
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(await count(sql`select count(*) as n from lab_tests where status = 'pending'`)).toBe(1);
    expect(await count(sql`select count(*) as n from prescriptions where status = 'active'`)).toBe(
      1,
    );
    expect(
      await count(
        sql`select count(*) as n from appointments
              where scheduled_at > ${FIRST_LOAD.toISOString()}::timestamptz + interval '5 days'`,
      ),
    ).toBe(1);
  });

  it('has the second hospital SGH: one ward, four beds, one admitted patient, its nurse', async () => {
    const count = async (table: string, where = sql`true`) =>
      Number(
        (
          await pg.db.execute<{ n: string }>(
            sql`select count(*) as n from ${sql.identifier(table)}
                 where hospital_id = ${SECOND_HOSPITAL_ID} and ${where}`,
          )
        ).rows[0]?.n,
      );
    expect(await count('wards')).toBe(1);
    expect(await count('beds')).toBe(4);
    expect(await count('patients')).toBe(1);
    expect(await count('visits', sql`status = 'admitted' and bed_id is not null`)).toBe(1);
    const nurse = await pg.db.execute<{ password_hash: string; role: string }>(
      sql`select c.password_hash, u.role from user_credentials c join users u on u.id = c.user_id
          where u.email = 'nurse.sgh@hass.example' and u.hospital_id = ${SECOND_HOSPITAL_ID}`,
    );
    expect(nurse.rows[0]?.role).toBe('nurse');
    expect(await argon2.verify(nurse.rows[0]?.password_hash ?? '', 'nurse123')).toBe(true);
  });

  it('keeps SGH off a replica: a workstation holds one hospital', () => {
    const hospitals = replica.db.all<{ id: string }>(sql`select id from hospitals`);
    expect(hospitals.map((row) => row.id)).toEqual([DEMO_HOSPITAL_ID]);
  });
});

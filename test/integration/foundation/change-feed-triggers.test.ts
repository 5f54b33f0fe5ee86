import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFeedTriggers, feedTriggerProblems } from '../../../db/central/feed-triggers';
import { seedCentralDatabase } from '../../../db/central/seed';
import { SYNCED_TABLES } from '../../../shared/catalog';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

describe('the change-feed triggers of a migrated PostgreSQL', () => {
  let central: TestDatabase;
  beforeAll(async () => {
    central = await createTestDatabase();
  });
  afterAll(async () => {
    await central.drop();
  });

  it('exist for the inserts and updates of every synced table, and on no other table', async () => {
    expect(await feedTriggerProblems(central.db)).toEqual([]);
  });

  it('put every row written to a synced table on the feed', async () => {
    await seedCentralDatabase(central.db, { demo: true, now: new Date('2026-11-23T12:00:00Z') });
    const counts = async (query: (table: string) => SQL) =>
      Object.fromEntries(
        await Promise.all(
          SYNCED_TABLES.map(async ({ name }) => {
            const result = await central.db.execute<{ n: number }>(query(name));
            return [name, result.rows[0]?.n] as const;
          }),
        ),
      );
    const rows = await counts(
      (name) => sql`select count(*)::int as n from ${sql.identifier(name)}`,
    );
    const fed = await counts(
      (name) => sql`select count(*)::int as n from change_feed where table_name = ${name}`,
    );
    expect(fed).toEqual(rows);
    expect(rows.patients).toBeGreaterThan(0);
  });

  it('are reported when a synced table lacks one, and restored by the migrate step', async () => {
    await central.db.execute(sql`drop trigger vitals_feed_update on vitals`);
    expect(await feedTriggerProblems(central.db)).toEqual([
      'vitals: updates do not reach the change feed.',
    ]);
    await ensureFeedTriggers(central.db);
    expect(await feedTriggerProblems(central.db)).toEqual([]);
  });

  it('are reported on a table the catalog does not sync', async () => {
    await central.db.execute(
      sql.raw(`create trigger devices_feed_insert after insert on devices
        referencing new table as changed_rows for each statement
        execute function wardline_record_changes()`),
    );
    try {
      expect(await feedTriggerProblems(central.db)).toEqual([
        'devices: has a change-feed trigger but is not a synced table.',
      ]);
    } finally {
      await central.db.execute(sql`drop trigger devices_feed_insert on devices`);
    }
  });

  it('are left alone when the migrate step runs again', async () => {
    const triggers = async () =>
      (
        await central.db.execute<{ oid: number; definition: string }>(
          sql`select t.oid, pg_get_triggerdef(t.oid) as definition from pg_trigger t
               where not t.tgisinternal and t.tgname like '%\_feed\_%' order by t.tgname`,
        )
      ).rows;
    const before = await triggers();
    await ensureFeedTriggers(central.db);
    expect(await triggers()).toEqual(before);
    expect(before).toHaveLength(SYNCED_TABLES.length * 2);
  });
});

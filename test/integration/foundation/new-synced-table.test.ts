/**
 * Adding a synced table is one catalog entry: a throwaway table added to a copy of the catalog
 * gets its zod schema, both drizzle schemas (the generator's output, which drizzle-kit turns
 * into exactly one new table per database), its change-feed triggers, and its rules, with no
 * other code touched.
 */
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ensureFeedTriggers, feedTriggerProblems } from '../../../db/central/feed-triggers';
import { seedCentralDatabase } from '../../../db/central/seed';
import { prepareMutation } from '../../../server/sync/prepare';
import { loadTableShapes } from '../../../server/sync/table-shapes';
import { SYNCED_TABLES } from '../../../shared/catalog';
import { enumOf, integer, json, text, timestamp, uuid } from '../../../shared/catalog/columns';
import { refuseInitialStatus, refuseTransition } from '../../../shared/catalog/status-machine';
import { index, syncedTable, type SyncedTable } from '../../../shared/catalog/table';
import { permissionsFor } from '../../../shared/mutation-permissions';
import type { Mutation } from '../../../shared/protocol';
import { describeZodError } from '../../../shared/validation';
import { renderCatalogCopy, type RenderedCopy } from '../../support/catalog-copy';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { postgresTableInfo, sqliteTableInfo } from '../../support/schema-introspection';
import { createTestReplica, type TestReplica } from '../../support/sqlite';

const ROUND_STATUSES = ['planned', 'done', 'skipped'] as const;

/** The throwaway: a doctor's ward round of one visit. */
const wardRounds = syncedTable('ward_rounds', {
  area: 'rounds',
  description: 'A ward round of one visit (a throwaway table of this test).',
  columns: {
    visitId: uuid().references('visits', { onDelete: 'restrict' }),
    doctorId: uuid().references('users', { onDelete: 'restrict' }),
    status: enumOf(ROUND_STATUSES).default('planned'),
    painScore: integer({ min: 0, max: 10 }).nullable(),
    findings: text({ max: 2000 }).nullable(),
    plan: json(z.object({ steps: z.array(z.string()) })).default({ steps: [] }),
    roundAt: timestamp(),
  },
  indexes: [index('ward_rounds_visit_idx', ['visitId', 'roundAt'])],
  statusMachine: {
    field: 'status',
    noun: 'ward round',
    initial: ['planned'],
    transitions: { planned: ['done', 'skipped'], done: [], skipped: [] },
  },
  permissions: {
    insert: 'visits:admit',
    update: { statusTo: { done: 'visits:discharge' }, otherwise: 'visits:read' },
  },
  globalEmr: 'entry',
});

const copy: readonly SyncedTable[] = [...SYNCED_TABLES, wardRounds];

const round = {
  visitId: uuidv7(),
  doctorId: uuidv7(),
  status: 'planned',
  painScore: 3,
  findings: null,
  plan: { steps: ['mobilise'] },
  roundAt: '2026-11-23T09:00:00.000Z',
};

describe('a table added to a copy of the catalog', () => {
  let rendered: RenderedCopy;
  let central: TestDatabase;
  let replica: TestReplica;
  beforeAll(async () => {
    rendered = await renderCatalogCopy(copy);
    central = await createTestDatabase();
    replica = createTestReplica();
  });
  afterAll(async () => {
    rendered.remove();
    await central.drop();
    replica.close();
  });

  it('gets a zod schema with its value rules, naming the field it refuses', () => {
    expect(wardRounds.fields.safeParse(round).success).toBe(true);
    const result = wardRounds.fields.safeParse({ ...round, painScore: 11, status: 'late' });
    expect(result.success).toBe(false);
    if (!result.success) expect(describeZodError(result.error)).toMatch(/status: .*painScore: /);
  });

  it('gets a drizzle schema per database, which drizzle-kit turns into one new table each', () => {
    expect(rendered.sources.sqlite.rounds).toContain('export const wardRounds = sqliteTable(');
    expect(rendered.sources.postgres.rounds).toContain('export const wardRounds = pgTable(');
    // Nothing else changes: every statement creates, or adds to, the new table alone.
    for (const statement of [...rendered.statements.sqlite, ...rendered.statements.postgres]) {
      expect(statement).toMatch(
        /^(CREATE TABLE [`"]ward_rounds[`"]|ALTER TABLE "ward_rounds"|CREATE INDEX [`"]ward_rounds_visit_idx[`"])/,
      );
    }
    expect(rendered.statements.sqlite).toHaveLength(2);
    // The table, its three foreign keys (hospital, visit, doctor), its index.
    expect(rendered.statements.postgres).toHaveLength(5);
  });

  it('is created by those statements with the catalog’s types and checks in both databases', async () => {
    for (const statement of rendered.statements.sqlite) replica.db.$client.exec(statement);
    for (const statement of rendered.statements.postgres) {
      await central.db.execute(sql.raw(statement));
    }
    const lite = sqliteTableInfo(replica.db.$client, 'ward_rounds');
    const pg = await postgresTableInfo(central.db, 'ward_rounds');
    const typeOf = (info: typeof lite, name: string) =>
      info.columns.find((column) => column.name === name)?.type;
    expect([typeOf(lite, 'pain_score'), typeOf(pg, 'pain_score')]).toEqual(['integer', 'integer']);
    expect([typeOf(lite, 'plan'), typeOf(pg, 'plan')]).toEqual(['text', 'jsonb']);
    expect([typeOf(lite, 'visit_id'), typeOf(pg, 'visit_id')]).toEqual(['text', 'uuid']);
    expect(Object.keys(lite.checks).sort()).toEqual([
      'ward_rounds_pain_score_check',
      'ward_rounds_status_check',
    ]);
    expect(Object.keys(pg.checks).sort()).toEqual(Object.keys(lite.checks).sort());
  });

  it('gets its change-feed triggers from the migrate step, which the trigger check follows', async () => {
    expect(await feedTriggerProblems(central.db, copy)).toEqual([
      'ward_rounds: inserts do not reach the change feed.',
      'ward_rounds: updates do not reach the change feed.',
    ]);
    await ensureFeedTriggers(central.db, copy);
    expect(await feedTriggerProblems(central.db, copy)).toEqual([]);
    // Against the real catalog the throwaway is a table that should not be on the feed.
    expect(await feedTriggerProblems(central.db)).toEqual([
      'ward_rounds: has a change-feed trigger but is not a synced table.',
    ]);

    await seedCentralDatabase(central.db, { demo: true, now: new Date('2026-11-23T08:00:00Z') });
    const visit = await central.db.execute<{ id: string; doctor: string }>(
      sql`select v.id, u.id as doctor from visits v, users u where u.role = 'doctor' limit 1`,
    );
    const { id: visitId, doctor } = visit.rows[0] ?? { id: '', doctor: '' };
    await central.db.execute(sql`insert into ward_rounds
      (id, hospital_id, visit_id, doctor_id, pain_score, round_at)
      select ${uuidv7()}, hospital_id, id, ${doctor}, 3, now() from visits where id = ${visitId}`);
    const fed = await central.db.execute<{ change: string }>(
      sql`select change from change_feed where table_name = 'ward_rounds'`,
    );
    const change = JSON.parse(fed.rows[0]?.change ?? '{}') as { row?: Record<string, unknown> };
    expect(change.row).toMatchObject({
      visitId,
      doctorId: doctor,
      status: 'planned',
      painScore: 3,
    });
  });

  it('brings its rules: permissions, status machine, append-only, checks on push', async () => {
    const before = { ...round, status: 'planned' };
    expect(
      permissionsFor(wardRounds, { table: 'ward_rounds', op: 'insert', changes: round }),
    ).toEqual(['visits:admit']);
    expect(
      permissionsFor(wardRounds, {
        table: 'ward_rounds',
        op: 'update',
        before,
        changes: { status: 'done' },
      }),
    ).toEqual(['visits:discharge']);
    expect(
      permissionsFor(wardRounds, { table: 'ward_rounds', op: 'delete', before, changes: {} }),
    ).toBeNull();
    expect(refuseInitialStatus(wardRounds, { status: 'done' })).toBe(
      'A new ward round starts as planned, not done.',
    );
    expect(refuseTransition(wardRounds, 'done', 'planned')).toBe(
      'A ward round cannot go from done to planned.',
    );

    const shapes = await loadTableShapes(central.db.$client, [
      ...copy.slice(0, -1),
      { ...wardRounds, appendOnly: true },
    ]);
    const mutation = (op: Mutation['op'], data: Record<string, unknown>): Mutation => ({
      mutationId: uuidv7(),
      deviceSeq: 1,
      userId: uuidv7(),
      table: 'ward_rounds',
      op,
      id: uuidv7(),
      baseVersion: op === 'insert' ? null : 1,
      data,
      clientTime: '2026-11-23T09:00:00.000Z',
    });
    const inserted = prepareMutation(shapes, mutation('insert', round));
    expect(inserted.ok).toBe(true);
    const updated = prepareMutation(shapes, mutation('update', { findings: 'better' }));
    expect(updated.ok ? null : updated.reason.message).toMatch(/never changed or deleted/);
    const invalid = prepareMutation(shapes, mutation('insert', { ...round, painScore: -1 }));
    expect(invalid.ok ? null : invalid.reason.message).toMatch(/^painScore: /);
  });
});

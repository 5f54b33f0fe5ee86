/**
 * Snapshot first sync (docs/SYNC.md): a workstation enrolled mid-shift loads a snapshot in pages
 * while another workstation pushes between the pages and a transaction that began before the
 * snapshot commits after its first page, then pulls from the snapshot's cursor. Nothing is
 * skipped: its replica ends equal to the server, row by row and version by version. An
 * interrupted snapshot resumes from the first page it had not loaded, and the indexes it dropped
 * for the load are built again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalDb } from '../../../db/local/open';
import { DEMO_HOSPITAL_ID, SECOND_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { SYNCED_TABLES } from '../../../shared/synced-tables';
import { openReplicaWithKeyFile } from '../../../main/replica';
import { fileTokenStore } from '../../../main/sync/device-token';
import { enrollWorkstation } from '../../../main/sync/enroll';
import { SyncEngine } from '../../../main/sync/engine';
import { readReplicaScope, snapshotUnderway } from '../../../main/sync/snapshot';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { replicaVersions, serverVersions, versionDifferences } from '../../support/convergence';
import {
  chartManyVitals,
  enrolledWorkstation,
  type TestWorkstation,
} from '../../support/workstation';

const NURSE = 'nurse@hass.example';
const PAGE_ROWS = 250;

const requestUrl = (input: Parameters<typeof fetch>[0]) =>
  input instanceof Request ? input.url : String(input);

/** The replica's secondary indexes, by name. */
const indexNames = (db: LocalDb) =>
  db
    .all<{ name: string }>(
      sql`select name from sqlite_master where type = 'index' and sql is not null order by name`,
    )
    .map((row) => row.name);

/** Vitals straight into the server's database (its feed triggers fire as for any write). */
async function insertVitals(client: pg.ClientBase | pg.Pool, count: number, notes: string) {
  await client.query(
    `insert into vitals (id, hospital_id, visit_id, patient_id, recorded_at, heart_rate, abnormal, recorded_by, notes)
     select gen_random_uuid(), v.hospital_id, v.id, v.patient_id, now() - g * interval '1 minute',
            60 + g % 40, '[]'::jsonb, (select id from users where email = $3), $2 || ' ' || g
       from generate_series(1, $1::integer) g
       join lateral (select * from visits where status = 'admitted' and hospital_id = $4::uuid
                      order by id offset (g % 3) limit 1) v on true`,
    [count, notes, NURSE, DEMO_HOSPITAL_ID],
  );
}

describe('snapshot first sync', () => {
  let server: CentralServer;
  let ward: TestWorkstation;

  beforeAll(async () => {
    server = await startCentralServer();
    ward = await enrolledWorkstation('ward-a', server.url, await server.enrollmentCode());
    await insertVitals(server.database.db.$client, 1_200, 'before enrollment');
  });
  afterAll(async () => {
    await ward.close();
    await server.close();
  });

  it('converges with nothing skipped while others push during the snapshot', async () => {
    // A transaction that takes its feed entries before the snapshot and commits after its
    // first page: the cursor must not move past it.
    const held = new pg.Client({ connectionString: server.database.url });
    await held.connect();
    await held.query('begin');
    await insertVitals(held, 3, 'held across the first page');
    // Wards go out on the first page: only the pull can bring this edit.
    await held.query(
      `update wards set name = name || ' (held)', version = version + 1 where hospital_id = $1::uuid`,
      [DEMO_HOSPITAL_ID],
    );
    let snapshotPages = 0;
    const pushingMeanwhile: typeof fetch = async (input, init) => {
      if (requestUrl(input).includes('/v1/sync/snapshot')) {
        snapshotPages += 1;
        if (snapshotPages === 2) await held.query('commit');
        if (snapshotPages >= 2) {
          chartManyVitals(ward.as(NURSE), 7, `pushed before page ${snapshotPages}`);
          const pushed = await ward.sync();
          expect(pushed.ok).toBe(true);
          // An edit of rows the snapshot has already passed (and of some it has not).
          await server.database.db.$client.query(
            `update patients set phone = '555-0' || $1::text, version = version + 1
              where hospital_id = $2::uuid`,
            [String(snapshotPages), DEMO_HOSPITAL_ID],
          );
        }
      }
      return fetch(input, init);
    };
    const newcomer = await enrolledWorkstation(
      'newcomer',
      server.url,
      await server.enrollmentCode(),
      {
        fetch: pushingMeanwhile,
        replica: { snapshot: true, dischargedWithinDays: null, snapshotPageRows: PAGE_ROWS },
      },
    );
    try {
      await held.end();
      expect(snapshotPages).toBeGreaterThan(4);
      const scope = readReplicaScope(newcomer.db);
      expect(scope?.snapshotDoneAt).not.toBeNull();
      expect(scope?.snapshotRows).toBeGreaterThan(1_200);
      expect(
        versionDifferences(
          await serverVersions(server.database, DEMO_HOSPITAL_ID),
          replicaVersions(newcomer.db, DEMO_HOSPITAL_ID),
        ),
      ).toBe(0);
      const heldRows = newcomer.db.all(
        sql`select id from vitals where notes like 'held across the first page %'`,
      );
      expect(heldRows).toHaveLength(3);
      const heldWards = newcomer.db.all(sql`select id from wards where name like '% (held)'`);
      expect(heldWards.length).toBeGreaterThan(0);
      // The indexes dropped for the load are all back: the same as a workstation that pulled.
      expect(indexNames(newcomer.db)).toEqual(indexNames(ward.db));
      // Pages commit without fsync and without foreign keys; every other write has both back.
      const pragma = (name: string) => newcomer.db.$client.pragma(name, { simple: true });
      expect({ synchronous: pragma('synchronous'), foreignKeys: pragma('foreign_keys') }).toEqual({
        synchronous: 2,
        foreignKeys: 1,
      });
    } finally {
      await newcomer.close();
    }
  });

  it('resumes an interrupted snapshot from the first page it had not loaded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wardline-snapshot-resume-'));
    const db = openReplicaWithKeyFile(join(dir, 'replica.db'));
    const tokens = fileTokenStore(join(dir, 'device-token'));
    await enrollWorkstation(db, tokens, {
      serverUrl: server.url,
      code: await server.enrollmentCode(),
      deviceName: 'resumed',
    });
    const asked: string[] = [];
    let cut = false;
    const cutOnce: typeof fetch = async (input, init) => {
      const url = requestUrl(input);
      if (url.includes('/v1/sync/snapshot')) {
        asked.push(new URL(url).searchParams.get('token') ?? 'first');
        if (asked.length === 3 && !cut) {
          cut = true;
          throw new TypeError('fetch failed: the connection was cut');
        }
      }
      return fetch(input, init);
    };
    const engine = new SyncEngine({
      db,
      tokens,
      fetch: cutOnce,
      replica: { snapshot: true, dischargedWithinDays: null, snapshotPageRows: PAGE_ROWS },
    });
    try {
      const first = await engine.syncNow();
      expect(first.ok).toBe(false);
      expect(snapshotUnderway(db)).toBe(true);
      const loadedBefore = readReplicaScope(db)?.snapshotRows ?? 0;
      // Two pages, and the two administrators outside the hospital that follow the users.
      expect(loadedBefore).toBeGreaterThanOrEqual(2 * PAGE_ROWS);
      expect(loadedBefore).toBeLessThan(3 * PAGE_ROWS);
      expect(indexNames(db)).not.toEqual(indexNames(ward.db));

      await insertVitals(server.database.db.$client, 40, 'between the two attempts');
      const second = await engine.syncNow();
      expect(second.ok).toBe(true);
      expect(snapshotUnderway(db)).toBe(false);
      // The third page was asked for again, the first two were not.
      expect(asked.filter((token) => token === 'first')).toHaveLength(1);
      expect(asked[3]).toBe(asked[2]);
      expect(indexNames(db)).toEqual(indexNames(ward.db));
      expect(
        versionDifferences(
          await serverVersions(server.database, DEMO_HOSPITAL_ID),
          replicaVersions(db, DEMO_HOSPITAL_ID),
        ),
      ).toBe(0);
    } finally {
      await engine.stop();
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds only its own hospital, and the stay endpoint refuses another hospital', async () => {
    const south = await enrolledWorkstation(
      'south-newcomer',
      server.url,
      await server.enrollmentCode('SGH'),
      { replica: { snapshot: true, dischargedWithinDays: null } },
    );
    try {
      expect(readReplicaScope(south.db)?.snapshotDoneAt).not.toBeNull();
      for (const table of SYNCED_TABLES.filter((t) => t.scope === 'hospital')) {
        const foreign = south.db.all(
          sql`select id from ${sql.identifier(table.name)}
               where hospital_id is not null and hospital_id <> ${SECOND_HOSPITAL_ID}`,
        );
        expect(foreign, table.name).toHaveLength(0);
      }
      expect(south.db.all(sql`select id from patients`).length).toBeGreaterThan(0);
      // People outside the hospital: name and role only, as the pull gives them.
      const outsiders = south.db.all<{ email: string }>(
        sql`select email from users where hospital_id is null`,
      );
      expect(outsiders.length).toBeGreaterThan(0);
      for (const outsider of outsiders)
        expect(outsider.email).toMatch(/@outside-hospital\.invalid$/);
      const northStay = await server.database.db.$client.query<{ id: string }>(
        `select id from visits where hospital_id = $1::uuid limit 1`,
        [DEMO_HOSPITAL_ID],
      );
      const transport = south.engine.transport();
      await expect(transport?.stay(northStay.rows[0]?.id ?? '')).rejects.toMatchObject({
        kind: 'not_found',
      });
    } finally {
      await south.close();
    }
  });
});

/**
 * Feed retention (issue 14): compaction removes entries past the horizon that a later version of
 * their row supersedes; a cursor before what it removed is answered `cursor_expired`; a pull from
 * the start still yields every row as the server has it; a cursor within the horizon pulls as
 * before. The clock is injected: "40 days later" is compaction's `now`, not a wait.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { ErrorBodySchema, type Change } from '../../../shared/protocol';
import { SYNCED_TABLES } from '../../../shared/synced-tables';
import {
  compactFeed,
  measureFeed,
  scheduleFeedCompaction,
} from '../../../server/sync/feed-compaction';
import {
  call,
  enroll,
  mutation,
  patientRow,
  pullAll,
  pushOne,
  receptionId,
  startTestServer,
  vitalsRow,
  type Device,
  type TestServer,
} from './harness';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The database stamps feed entries with its own clock: "later" is counted from there. */
const daysFromNow = (days: number) => new Date(Date.now() + days * DAY_MS);

let server: TestServer;
let ward: Device;

beforeAll(async () => {
  server = await startTestServer();
  ward = await enroll(server);
});
afterAll(async () => {
  await server.close();
});

const pool = () => server.database.db.$client;

/** A device's rows after applying changes in order, keeping the highest version per row. */
function replicaOf(changes: readonly Change[]): Map<string, Change> {
  const replica = new Map<string, Change>();
  for (const change of changes) {
    const key = `${change.table}:${change.id}`;
    const held = replica.get(key);
    if (!held || held.version <= change.version) replica.set(key, change);
  }
  return replica;
}

/** Every row of the device's scope with its version, as the server has it now. */
async function serverVersions(): Promise<Map<string, number>> {
  const rows = new Map<string, number>();
  for (const { name } of SYNCED_TABLES) {
    const found = await pool().query<{ id: string; version: number }>(
      `select id, version from "${name}" where hospital_id = $1 or hospital_id is null`,
      [ward.hospitalId],
    );
    for (const row of found.rows) rows.set(`${name}:${row.id}`, row.version);
  }
  return rows;
}

async function pullPage(cursor: string | undefined) {
  const query = new URLSearchParams({ limit: '1000', ...(cursor ? { cursor } : {}) });
  return call(server, ward, 'GET', `/v1/sync/pull?${query.toString()}`);
}

/** A patient registered, then edited `edits` times, each edit its own push (its own version). */
async function registerAndEdit(edits: number): Promise<string> {
  const id = randomUUID();
  const registered = await pushOne(
    server,
    ward,
    mutation({ table: 'patients', op: 'insert', id, userId: receptionId, data: patientRow() }),
  );
  expect(registered.reason ?? registered.status).toBe('applied');
  for (let edit = 1; edit <= edits; edit += 1) {
    const result = await pushOne(
      server,
      ward,
      mutation({
        table: 'patients',
        op: 'update',
        id,
        userId: receptionId,
        baseVersion: edit,
        data: { phone: `+44 7700 90000${edit}` },
      }),
    );
    expect(result.reason ?? result.status).toBe('applied');
  }
  return id;
}

async function feedEntriesOf(rowId: string): Promise<number[]> {
  const found = await pool().query<{ version: number }>(
    'select version from change_feed where row_id = $1 order by version',
    [rowId],
  );
  return found.rows.map((row) => row.version);
}

describe('feed compaction past the horizon', () => {
  test('superseded entries go, the latest of every row stays; an old cursor expires, a recent one and a fresh start pull as before', async () => {
    // The server's clock (which stamps each cursor it hands out) starts at the database's now.
    server.clock.now = new Date();
    const { cursor: before } = await pullAll(server, ward);
    const edited = await registerAndEdit(5);
    const vitalsId = randomUUID();
    await pushOne(
      server,
      ward,
      mutation({ table: 'vitals', op: 'insert', id: vitalsId, data: vitalsRow() }),
    );
    const { cursor: recent } = await pullAll(server, ward, before);
    expect(await feedEntriesOf(edited)).toEqual([1, 2, 3, 4, 5, 6]);

    // Within the horizon nothing goes.
    const early = await compactFeed(pool(), { horizonDays: 30, now: daysFromNow(29) });
    expect(early).toMatchObject({ scanned: 0, removed: 0, complete: true });
    expect((await pullPage(before)).status).toBe(200);

    const sizeBefore = await measureFeed(pool());
    const compacted = await compactFeed(pool(), {
      horizonDays: 30,
      now: daysFromNow(40),
      batchSize: 100,
    });
    server.clock.now = daysFromNow(40);
    expect(compacted.complete).toBe(true);
    expect(compacted.batches).toBeGreaterThan(1);
    expect(compacted.removed).toBeGreaterThanOrEqual(5);
    expect(await feedEntriesOf(edited)).toEqual([6]);
    expect(await feedEntriesOf(vitalsId)).toEqual([1]);
    expect((await measureFeed(pool())).entries).toBe(sizeBefore.entries - compacted.removed);

    // The cursor from before the edits: told so, in the contract's error shape.
    const expired = await pullPage(before);
    expect(expired.status).toBe(410);
    const body = ErrorBodySchema.parse(expired.body);
    expect(body.error.code).toBe('cursor_expired');
    expect(body.error.message).toMatch(/from the start/);

    // A cursor at or past the compacted place pulls exactly as before: nothing new, no error.
    const fresh = await pullPage(recent);
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ changes: [], hasMore: false });

    // From the start: every row as the server has it, the edited patient once at its last version.
    const { changes } = await pullAll(server, ward, undefined, 200);
    expect(changes.filter((change) => change.id === edited).map((c) => c.version)).toEqual([6]);
    const replica = replicaOf(changes);
    const expected = await serverVersions();
    expect(new Map([...replica].map(([key, change]) => [key, change.version]))).toEqual(expected);

    // A second run has nothing left to do.
    const again = await compactFeed(pool(), { horizonDays: 30, now: daysFromNow(40) });
    expect(again).toMatchObject({ removed: 0, complete: true });
  });

  test('later edits supersede earlier ones only once they too are past the horizon; a cursor taken after compaction stays valid', async () => {
    server.clock.now = daysFromNow(40);
    const id = await registerAndEdit(2);
    const { cursor } = await pullAll(server, ward);
    // Past the horizon as of day 40, the patient's three versions: only the last stays.
    await compactFeed(pool(), { horizonDays: 30, now: daysFromNow(40) });
    expect(await feedEntriesOf(id)).toEqual([3]);
    expect((await pullPage(cursor)).status).toBe(200);
    // Edited again: version 4 is new; the cursor taken after the compaction is still valid.
    await pushOne(
      server,
      ward,
      mutation({
        table: 'patients',
        op: 'update',
        id,
        baseVersion: 3,
        data: { address: 'Ward 4' },
      }),
    );
    await compactFeed(pool(), { horizonDays: 30, now: daysFromNow(40) });
    const page = await pullPage(cursor);
    expect(page.status).toBe(200);
    expect(
      (page.body.changes as Change[]).filter((change) => change.id === id).map((c) => c.version),
    ).toEqual([4]);
    expect(await feedEntriesOf(id)).toEqual([4]);
  });

  test('two compactions at once, beside pushes and pulls from the start, lose no row and remove nothing twice', async () => {
    server.clock.now = daysFromNow(40);
    const id = await registerAndEdit(3);
    await registerAndEdit(3);
    // Twenty more edits of one patient, pushed one by one while the compactions run.
    const pusher = (async () => {
      for (let version = 4; version < 24; version += 1) {
        await pushOne(
          server,
          ward,
          mutation({
            table: 'patients',
            op: 'update',
            id,
            userId: receptionId,
            baseVersion: version,
            data: { phone: `+44 7700 9${String(version).padStart(5, '0')}` },
          }),
        );
      }
    })();
    const puller = pullAll(server, ward, undefined, 50);
    const both = await Promise.all([
      compactFeed(pool(), { horizonDays: 30, now: daysFromNow(40), batchSize: 100 }),
      compactFeed(pool(), { horizonDays: 30, now: daysFromNow(40), batchSize: 100 }),
    ]);
    await pusher;
    const pulled = await puller;
    expect(both.every((run) => run.complete)).toBe(true);
    // The pull that ran beside them, then pulled to the end, holds every row at the server's version.
    const { changes: rest } = await pullAll(server, ward, pulled.cursor);
    const replica = replicaOf([...pulled.changes, ...rest]);
    const expected = await serverVersions();
    expect(new Map([...replica].map(([key, change]) => [key, change.version]))).toEqual(expected);
    const duplicates = await pool().query<{ n: string }>(
      `select count(*) as n from (select table_name, row_id, version from change_feed
        group by 1, 2, 3 having count(*) > 1) d`,
    );
    expect(Number(duplicates.rows[0]?.n)).toBe(0);
  });

  test('serve runs it on its own every interval (its timer advanced, the database real)', async () => {
    server.clock.now = daysFromNow(40);
    const id = await registerAndEdit(2);
    const logged: string[] = [];
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const stop = scheduleFeedCompaction(pool(), {
        horizonDays: 30,
        everyMinutes: 60,
        batchSize: 500,
        now: () => daysFromNow(40),
        log: { info: (_fields, message) => logged.push(message), error: () => undefined },
      });
      vi.advanceTimersByTime(59 * 60 * 1000);
      await stop.flush();
      expect(await feedEntriesOf(id)).toEqual([1, 2, 3]);
      vi.advanceTimersByTime(60 * 1000);
      await stop.flush();
      expect(await feedEntriesOf(id)).toEqual([3]);
      expect(logged).toEqual(['feed compaction']);
      await stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

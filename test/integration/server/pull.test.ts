import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Change, MutationResult } from '../../../shared/protocol';
import { SYNCED_TABLES } from '../../../shared/synced-tables';
import { selectRows } from '../../../server/sync/rows';
import { loadTableShapes } from '../../../server/sync/table-shapes';
import {
  addHospital,
  demoRow,
  enroll,
  hospitalId,
  mutation,
  patientRow,
  pullAll,
  push,
  pushOne,
  receptionId,
  startTestServer,
  vitalsRow,
  type Device,
  type TestServer,
} from './harness';

let server: TestServer;
let ward: Device;

beforeAll(async () => {
  server = await startTestServer();
  ward = await enroll(server);
});
afterAll(async () => {
  await server.close();
});

/** What a device holds after applying changes in order, keeping the highest version per row. */
function applyChanges(replica: Map<string, Change>, changes: Change[]) {
  for (const change of changes) {
    const key = `${change.table}:${change.id}`;
    const held = replica.get(key);
    if (!held || held.version <= change.version) replica.set(key, change);
  }
}

/** The server's rows in a device's scope, as the same wire JSON pull delivers. */
async function serverRows(scopeHospitalId: string): Promise<Map<string, Change>> {
  const rows = new Map<string, Change>();
  for (const { name } of SYNCED_TABLES) {
    const pulled = await server.database.db.$client.query<{ id: string; version: number }>(
      `select id, version from "${name}" where hospital_id = $1 or hospital_id is null`,
      [scopeHospitalId],
    );
    for (const row of pulled.rows)
      rows.set(`${name}:${row.id}`, { table: name, id: row.id, version: row.version, row: {} });
  }
  return rows;
}

describe('a new workstation pulls the hospital for the first time', () => {
  test('it receives its hospital and the reference data, each row after the rows it points at, never a password', async () => {
    const { changes } = await pullAll(server, ward, undefined, 97);
    const delivered = new Set<string>();
    const all = new Set(changes.map((change) => change.id));
    for (const change of changes) {
      for (const [field, value] of Object.entries(change.row)) {
        if (
          field === 'id' ||
          field === 'hospitalId' ||
          !field.endsWith('Id') ||
          typeof value !== 'string' ||
          !all.has(value)
        )
          continue;
        expect(
          delivered.has(value),
          `${change.table}.${field} points at a row delivered later`,
        ).toBe(true);
      }
      delivered.add(change.id);
    }
    expect(changes.some((change) => change.table === 'role_permissions')).toBe(true);
    expect(changes.filter((change) => change.table === 'users').length).toBeGreaterThan(5);
    expect(JSON.stringify(changes)).not.toMatch(/argon2|passwordHash/);
    const replica = new Map<string, Change>();
    applyChanges(replica, changes);
    const expected = await serverRows(hospitalId);
    expect([...replica.keys()].sort()).toEqual([...expected.keys()].sort());
    const patient = changes.find((change) => change.table === 'patients');
    expect(patient?.row.hospitalId).toBe(hospitalId);
    expect(patient?.row.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(patient?.row.dateOfBirth).toMatch(/^\d{4}-\d\d-\d\d$/);
  });

  test('another hospital never sees this hospital’s rows', async () => {
    const other = await addHospital(server, 'WGH');
    const otherDevice = await enroll(server, 'WGH');
    // Written directly, as an administrator would: the feed triggers catch every writer.
    await server.database.db.$client.query(
      `insert into patients (id, hospital_id, mrn, first_name, last_name, date_of_birth, sex) values ($1, $2, 'WGH-1', 'Wes', 'Tern', '1970-01-01', 'male')`,
      [randomUUID(), other.hospitalId],
    );
    await pushOne(
      server,
      ward,
      mutation({
        table: 'patients',
        op: 'insert',
        id: randomUUID(),
        userId: receptionId,
        data: patientRow(),
      }),
    );
    const theirs = await pullAll(server, otherDevice);
    const ours = await pullAll(server, ward);
    // Rows without a hospital are reference data, or people outside it named only (Tenancy).
    const foreign = (changes: Change[], own: string) =>
      changes.filter((change) =>
        'hospitalId' in change.row
          ? change.row.hospitalId !== null && change.row.hospitalId !== own
          : Object.keys(change.row).sort().join() !== 'fullName,id,roles',
      );
    expect(foreign(theirs.changes, other.hospitalId)).toEqual([]);
    expect(foreign(ours.changes, hospitalId)).toEqual([]);
    expect(theirs.changes.some((change) => change.table === 'patients')).toBe(true);
  });
});

describe('no change is skipped, whatever order transactions commit in', () => {
  test('a transaction that wrote first but commits after a later one is still delivered', async () => {
    const { cursor } = await pullAll(server, ward);
    const slow = await server.database.db.$client.connect();
    const slowPatient = randomUUID();
    try {
      await slow.query('begin');
      const patient = patientRow({ firstName: 'Slow' });
      await slow.query(
        `insert into patients (id, hospital_id, mrn, first_name, last_name, date_of_birth, sex, allergies)
         values ($1, $2, $3, $4, $5, $6, $7, '[]')`,
        [
          slowPatient,
          hospitalId,
          patient.mrn,
          patient.firstName,
          patient.lastName,
          patient.dateOfBirth,
          patient.sex,
        ],
      );
      // A later writer commits while the slow one is still open.
      const fast = await pushOne(
        server,
        ward,
        mutation({ table: 'vitals', op: 'insert', id: randomUUID(), data: vitalsRow() }),
      );
      expect(fast.status).toBe('applied');
      const during = await pullAll(server, ward, cursor);
      expect(during.changes.map((change) => change.id)).not.toContain(slowPatient);
      await slow.query('commit');
      const after = await pullAll(server, ward, during.cursor);
      expect(after.changes.map((change) => change.id)).toContain(slowPatient);
    } finally {
      slow.release();
    }
  });

  // 3,600 signed mutations from twelve devices: well over the default timeout on a busy 2-core box.
  test('several devices push hundreds of mutations concurrently while one pulls in a loop', async () => {
    const patients = [0, 1, 2, 3, 4].map((index) => demoRow('patients', index));
    for (let round = 0; round < 3; round += 1) {
      const puller = await enroll(server);
      const replica = new Map<string, Change>();
      const first = await pullAll(server, puller);
      applyChanges(replica, first.changes);
      let cursor = first.cursor;
      const pushers = await Promise.all([0, 1, 2, 3].map(() => enroll(server)));
      const applied: MutationResult[] = [];
      const keys = new Map<string, string>();
      const progress = { pushing: true };
      const pushAll = Promise.all(
        pushers.map(async (device, deviceIndex) => {
          for (let batch = 0; batch < 10; batch += 1) {
            const mutations = Array.from({ length: 30 }, (_, index) => {
              const patient = patients[(index + deviceIndex) % patients.length];
              if (index % 6 === 0 && patient) {
                return mutation({
                  table: 'patients',
                  op: 'update',
                  id: patient.id,
                  userId: receptionId,
                  baseVersion: 1,
                  data: { phone: `+44 ${round}${deviceIndex}${batch}${index}` },
                });
              }
              return mutation({
                table: 'vitals',
                op: 'insert',
                id: randomUUID(),
                data: vitalsRow(index % 6, { heartRate: 60 + index }),
              });
            });
            for (const item of mutations) keys.set(item.mutationId, `${item.table}:${item.id}`);
            const results = await push(server, device, mutations);
            applied.push(
              ...results.filter(
                (result) => result.status === 'applied' || result.status === 'conflict',
              ),
            );
          }
        }),
      ).finally(() => {
        progress.pushing = false;
      });
      while (progress.pushing) {
        const page = await pullAll(server, puller, cursor, 200);
        applyChanges(replica, page.changes);
        cursor = page.cursor;
      }
      await pushAll;
      const last = await pullAll(server, puller, cursor);
      applyChanges(replica, last.changes);
      expect(applied.length).toBe(4 * 10 * 30);
      const expected = await serverRows(hospitalId);
      expect(replica.size).toBe(expected.size);
      for (const [key, change] of expected)
        expect(replica.get(key)?.version, key).toBe(change.version);
      for (const result of applied) {
        const key = keys.get(result.mutationId) ?? '';
        expect(replica.get(key)?.version ?? -1, key).toBeGreaterThanOrEqual(result.version ?? 0);
      }
    }
  }, 120_000);
});

describe('the change text the feed keeps is the row as the server reads it', () => {
  test('for every table, the last change of each row equals the row in wire shape (keys, ISO times, dates, JSON)', async () => {
    const pool = server.database.db.$client;
    // A row updated after it was pulled: the feed keeps a change per write, the newest wins.
    const patient = demoRow('patients', 1);
    const current = await pool.query<{ version: number }>(
      'select version from patients where id = $1',
      [patient.id],
    );
    const edit = await pushOne(
      server,
      ward,
      mutation({
        table: 'patients',
        op: 'update',
        id: patient.id,
        userId: receptionId,
        baseVersion: current.rows[0]?.version ?? 1,
        data: { address: '2 Feed Street', allergies: [{ substance: 'Iodine', severity: 'mild' }] },
      }),
    );
    expect(edit.status).toBe('applied');
    const replica = new Map<string, Change>();
    applyChanges(replica, (await pullAll(server, await enroll(server), undefined, 250)).changes);
    const shapes = await loadTableShapes(pool);
    const client = await pool.connect();
    const tables = new Set<string>();
    try {
      for (const [table, shape] of shapes) {
        const held = [...replica.values()].filter((change) => change.table === table);
        const rows = await selectRows(
          client,
          shape,
          held.map((change) => change.id),
        );
        for (const change of held) {
          const row = rows.get(change.id);
          // A person of no hospital reaches a hospital's device as the catalog's outsider view.
          const outsiders = row?.hospitalId === null ? shape.table.outsiders : null;
          const sent = row && outsiders ? outsiders.send(row) : row;
          expect(change.row, `${table}:${change.id}`).toEqual(sent);
          expect(change.version).toBe(rows.get(change.id)?.version);
          tables.add(table);
        }
      }
    } finally {
      client.release();
    }
    expect(tables.size).toBeGreaterThanOrEqual(12);
    expect(replica.get(`patients:${patient.id}`)?.row).toMatchObject({
      address: '2 Feed Street',
      version: edit.version,
    });
  });
});

/**
 * A scoped workstation (docs/SYNC.md "Scope"): its snapshot holds the patient index and the
 * clinical rows of current stays and of stays discharged within 30 days; an older chart opened
 * online is fetched, readable, and purged once its hold runs out; a stay leaving the window is
 * purged from the replica file, except while a change to it waits in the outbox; the server
 * keeps everything. The workstation's clock is injected: days pass without waiting.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalDb } from '../../../db/local/open';
import { attachmentChunks, attachmentFiles, outbox, vitals } from '../../../db/local/schema';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { openReplicaWithKeyFile } from '../../../main/replica';
import { attachFile } from '../../../main/services/attachments';
import { openChart } from '../../../main/services/chart';
import { writeClinical } from '../../../main/services/write-path';
import { purgeOutOfScope } from '../../../main/sync/replica-scope';
import { readReplicaScope } from '../../../main/sync/snapshot';
import { STAY_IN_WINDOW_SQL, STAY_RECORD_TABLES } from '../../../shared/replica-scope';
import { flagAbnormal } from '../../../shared/vital-ranges';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

const NURSE = 'nurse@hass.example';
const DOCTOR = 'doctor@hass.example';
const DAY_MS = 24 * 60 * 60 * 1000;

interface Stays {
  patientId: string;
  old: string;
  recent: string;
  leaving: string;
  /** A lab test of the recent stay, whose report comes back after discharge. */
  recentLabTest: string;
}

/** Three ended stays of one demo patient, each with five vitals: 400, 10 and 20 days ago. */
async function endedStays(server: CentralServer): Promise<Stays> {
  const pool = server.database.db.$client;
  const admitted = await pool.query<{ patient_id: string; ward_id: string }>(
    `select patient_id, ward_id from visits where status = 'admitted' and hospital_id = $1::uuid
      order by id limit 1`,
    [DEMO_HOSPITAL_ID],
  );
  const { patient_id: patientId, ward_id: wardId } = admitted.rows[0] ?? {};
  if (!patientId || !wardId) throw new Error('the demo has no admitted stay');
  const stay = async (endedDaysAgo: number, label: string) => {
    const made = await pool.query<{ id: string }>(
      `insert into visits (id, hospital_id, patient_id, ward_id, status, admitted_at, discharged_at)
       values (gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, 'discharged',
               now() - ($4::integer + 3) * interval '1 day', now() - $4::integer * interval '1 day')
       returning id`,
      [DEMO_HOSPITAL_ID, patientId, wardId, endedDaysAgo],
    );
    const id = made.rows[0]?.id ?? '';
    await pool.query(
      `insert into vitals (id, hospital_id, visit_id, patient_id, recorded_at, heart_rate, abnormal, recorded_by, notes)
       select gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid,
              now() - ($4::integer + 1) * interval '1 day' + g * interval '1 hour', 70 + g, '[]'::jsonb,
              (select id from users where email = $6), $5 || ' ' || g
         from generate_series(1, 5) g`,
      [DEMO_HOSPITAL_ID, id, patientId, endedDaysAgo, label, NURSE],
    );
    return id;
  };
  const recent = await stay(10, 'recent stay');
  const labTest = await pool.query<{ id: string }>(
    `insert into lab_tests (id, hospital_id, visit_id, patient_id, test_code, test_name, ordered_by, ordered_at)
     values (gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, 'CXR', 'Chest X-ray',
             (select id from users where email = $4), now() - interval '11 days')
     returning id`,
    [DEMO_HOSPITAL_ID, recent, patientId, NURSE],
  );
  return {
    patientId,
    old: await stay(400, 'old stay'),
    recent,
    leaving: await stay(20, 'leaving stay'),
    recentLabTest: labTest.rows[0]?.id ?? '',
  };
}

const vitalsOf = (db: LocalDb, visitId: string) =>
  db.all<{ notes: string | null }>(sql`select notes from vitals where visit_id = ${visitId}`);

describe('a scoped workstation', () => {
  let server: CentralServer;
  let stays: Stays;
  let ward: TestWorkstation;
  let today = new Date();
  const now = () => today;
  // While set, every attachment upload is cut before it reaches the server.
  const uploads = { cut: false };
  const cuttingFetch: typeof fetch = (input, init) =>
    uploads.cut && init?.method === 'PUT'
      ? Promise.reject(new TypeError('fetch failed'))
      : fetch(input, init);

  beforeAll(async () => {
    server = await startCentralServer();
    stays = await endedStays(server);
    ward = await enrolledWorkstation('scoped', server.url, await server.enrollmentCode(), {
      replica: { snapshot: true, dischargedWithinDays: 30, keepOpenedStayDays: 7 },
      now,
      fetch: cuttingFetch,
    });
  });
  afterAll(async () => {
    await ward.close();
    await server.close();
  });

  it('holds the patient index, current stays and stays of the last 30 days only', () => {
    expect(vitalsOf(ward.db, stays.old)).toHaveLength(0);
    expect(vitalsOf(ward.db, stays.recent)).toHaveLength(5);
    expect(vitalsOf(ward.db, stays.leaving)).toHaveLength(5);
    // The stay itself and its patient are in the index; only its clinical rows are not.
    const chart = openChart(ward.as(NURSE), { patientId: stays.patientId, visitId: stays.old });
    expect(chart.visits.map((stay) => stay.id)).toContain(stays.old);
    expect(chart.vitals).toHaveLength(0);
    expect(chart.recordNotHeld).toMatch(/not on it/);
  });

  it('loads in small pages exactly the clinical rows of its scope, read stay by stay', async () => {
    // Pages of three rows cut through stays of five vitals; lab tests with and without a stay.
    const pool = server.database.db.$client;
    await pool.query(
      `insert into lab_tests (id, hospital_id, visit_id, patient_id, test_code, test_name, ordered_by, ordered_at)
       select gen_random_uuid(), $1::uuid, stay, $2::uuid, 'CBC', 'Complete blood count',
              (select id from users where email = $3), now()
         from unnest(array[$4::uuid, $5::uuid, null, null]) stay`,
      [DEMO_HOSPITAL_ID, stays.patientId, NURSE, stays.old, stays.recent],
    );
    const small = await enrolledWorkstation(
      'scoped-pages',
      server.url,
      await server.enrollmentCode(),
      {
        replica: {
          snapshot: true,
          dischargedWithinDays: 30,
          keepOpenedStayDays: 7,
          snapshotPageRows: 3,
        },
        now,
      },
    );
    try {
      const line = readReplicaScope(small.db)?.purgedBefore ?? '';
      expect(line).not.toBe('');
      for (const table of STAY_RECORD_TABLES) {
        const expected = await pool.query<{ id: string }>(
          `select t.id from "${table}" t where t.hospital_id = $1::uuid and (t.visit_id is null
             or exists (select 1 from visits v where v.id = t.visit_id
                         and ${STAY_IN_WINDOW_SQL.replace('?', '$2::timestamptz')}))
           order by t.id`,
          [DEMO_HOSPITAL_ID, line],
        );
        const held = small.db.all<{ id: string }>(
          sql`select id from ${sql.identifier(table)} order by id`,
        );
        expect(
          held.map((row) => row.id),
          table,
        ).toEqual(expected.rows.map((row) => row.id));
      }
      const labs = small.db.all<{ visitId: string | null }>(
        sql`select visit_id as visitId from lab_tests where patient_id = ${stays.patientId}`,
      );
      expect(labs.filter((lab) => lab.visitId === null)).toHaveLength(2);
      // This CBC and the chest X-ray the recent stay was made with.
      expect(labs.filter((lab) => lab.visitId === stays.recent)).toHaveLength(2);
      expect(labs.filter((lab) => lab.visitId === stays.old)).toHaveLength(0);
    } finally {
      await small.close();
    }
  });

  it('fetches an older chart opened online, keeps it a while, then purges it', async () => {
    expect(await ward.engine.fetchStayForChart(stays.old)).toBe(true);
    const chart = openChart(ward.as(NURSE), { patientId: stays.patientId, visitId: stays.old });
    expect(chart.vitals).toHaveLength(5);
    expect(chart.recordNotHeld).toBeNull();

    // Three days on it is still held; a pull does not drop it either.
    today = new Date(today.getTime() + 3 * DAY_MS);
    expect((await ward.sync()).ok).toBe(true);
    expect(vitalsOf(ward.db, stays.old)).toHaveLength(5);
  });

  it('purges a stay leaving the window from the file, but not while a change to it waits', async () => {
    // A late entry on the stay about to leave the window, not yet sent.
    const nurse = ward.as(NURSE);
    writeClinical(nurse, (batch) => {
      const readings = { heartRate: 88 };
      batch.insert(
        vitals,
        {
          visitId: stays.leaving,
          patientId: stays.patientId,
          recordedAt: batch.now,
          temperatureC: null,
          systolic: null,
          diastolic: null,
          respiratoryRate: null,
          spo2: null,
          weightKg: null,
          heightCm: null,
          ...readings,
          bmi: null,
          abnormal: flagAbnormal(readings),
          recordedBy: batch.actor.userId,
          notes: 'late entry waiting to be sent',
          enteredInErrorId: null,
        },
        { action: 'vitals.record' },
      );
    });
    // Fifteen days later: the opened chart's hold (7 days) has run out, the stay discharged 20
    // days ago is 35 days gone, the one discharged 10 days ago is still within the window.
    today = new Date(today.getTime() + 12 * DAY_MS);
    const purged = purgeOutOfScope(ward.db, today);
    expect(purged.purgedStays).toBe(1);
    expect(purged.heldStays).toBe(1);

    // Read from the file by a connection of its own: the rows are gone from it.
    const file = openReplicaWithKeyFile(join(ward.dir, 'replica.db'));
    try {
      expect(vitalsOf(file, stays.old)).toHaveLength(0);
      expect(vitalsOf(file, stays.leaving)).toHaveLength(6);
      expect(vitalsOf(file, stays.recent)).toHaveLength(5);
    } finally {
      file.$client.close();
    }

    // Sent, then purged in the same sync; the server deleted nothing.
    expect((await ward.sync()).ok).toBe(true);
    expect(vitalsOf(ward.db, stays.leaving)).toHaveLength(0);
    expect(vitalsOf(ward.db, stays.recent)).toHaveLength(5);
    const onServer = await server.database.db.$client.query<{ n: string }>(
      `select count(*) as n from vitals where visit_id = any($1::uuid[])`,
      [[stays.old, stays.leaving, stays.recent]],
    );
    expect(Number(onServer.rows[0]?.n)).toBe(16);
    // Offline, the chart of the purged stay says what it does not hold.
    const chart = openChart(nurse, { patientId: stays.patientId, visitId: stays.leaving });
    expect(chart.recordNotHeld).not.toBeNull();
  });
  it('keeps a stay whose attachment is not uploaded yet, then purges it with its file', async () => {
    // The chest X-ray report of the recent stay arrives after discharge and is attached here;
    // its record is sent, but the upload of its bytes is cut.
    const report = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(64 * 1024)]);
    const attached = attachFile(
      { ...ward.as(DOCTOR), db: ward.db },
      {
        labTestId: stays.recentLabTest,
        fileName: 'chest-xray.pdf',
        contentBase64: report.toString('base64'),
      },
    );
    uploads.cut = true;
    await ward.sync();
    expect(ward.db.select().from(outbox).all()).toHaveLength(0);
    const fileState = () =>
      ward.db
        .select({ state: attachmentFiles.state })
        .from(attachmentFiles)
        .where(eq(attachmentFiles.sha256, attached.sha256))
        .get()?.state;
    expect(fileState()).toBe('to_upload');

    // The stay leaves the window while its report waits: held, report and all.
    today = new Date(today.getTime() + 6 * DAY_MS);
    expect(purgeOutOfScope(ward.db, today)).toMatchObject({ purgedStays: 0, heldStays: 1 });
    expect(vitalsOf(ward.db, stays.recent)).toHaveLength(5);
    expect(fileState()).toBe('to_upload');

    // Uploaded at the next sync, then purged in it: the stay and its report leave the file.
    uploads.cut = false;
    expect((await ward.sync()).ok).toBe(true);
    const onServer = await server.database.db.$client.query<{ complete: boolean }>(
      'select complete from attachment_blobs where sha256 = $1',
      [attached.sha256],
    );
    expect(onServer.rows).toEqual([{ complete: true }]);
    const file = openReplicaWithKeyFile(join(ward.dir, 'replica.db'));
    try {
      expect(vitalsOf(file, stays.recent)).toHaveLength(0);
      expect(file.select().from(attachmentFiles).all()).toHaveLength(0);
      expect(file.select().from(attachmentChunks).all()).toHaveLength(0);
    } finally {
      file.$client.close();
    }
  });
});

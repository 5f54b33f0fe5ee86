/**
 * A lost answer never hides an outcome: the proxy between the ward and the server loses the
 * answers to pushes that held a refusal or a conflict, once or again and again, after the server
 * committed them. When the ward resends, it lists every refusal and every conflict exactly once,
 * with the server's row in its replica, as if the first answer had arrived.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, patients, syncConflicts, visits } from '../../../db/local/schema';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { recordVitals } from '../../../main/services/vitals';
import { writeClinical } from '../../../main/services/write-path';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { replicaVersions, serverVersions } from '../../support/convergence';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import {
  listedOutcomes,
  losingFetch,
  reportsRefusalOrConflict,
  serverOutcomes,
} from '../../support/lost-answers';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

describe('answers lost on the way back', () => {
  let server: CentralServer;
  let proxy: FaultProxy;
  let ward: TestWorkstation;
  let desk: TestWorkstation;

  beforeAll(async () => {
    server = await startCentralServer();
    proxy = await startFaultProxy(server.url, { seed: 20261218 });
    ward = await enrolledWorkstation('lost-ward', proxy.url, await server.enrollmentCode(), {
      timeoutMs: 5_000,
    });
    desk = await enrolledWorkstation('lost-desk', server.url, await server.enrollmentCode());
  });
  afterAll(async () => {
    await ward.close();
    await desk.close();
    await proxy.close();
    await server.close();
  });

  /** Loses the next `times` push answers that report a refusal or a conflict. */
  const loseRefusalsAndConflicts = (times: number) => {
    let left = times;
    proxy.dropReply = ({ body }) => {
      if (left === 0 || !reportsRefusalOrConflict(body)) return false;
      left -= 1;
      return true;
    };
  };

  const visitOf = (ws: TestWorkstation, index: number) => {
    const visit = ws.db
      .select()
      .from(visits)
      .where(eq(visits.status, 'admitted'))
      .orderBy(visits.id)
      .all()[index];
    if (!visit) throw new Error(`no admitted visit ${index}`);
    return visit;
  };
  const patientOf = (ws: TestWorkstation, index: number) => {
    const patient = ws.db.select().from(patients).orderBy(patients.mrn).all()[index];
    if (!patient) throw new Error(`no patient ${index}`);
    return patient;
  };
  const serverField = async (table: string, column: string, id: string) =>
    (
      await server.database.db.execute<{ value: unknown }>(
        sql`select ${sql.identifier(column)} as value from ${sql.identifier(table)} where id = ${id}`,
      )
    ).rows[0]?.value;

  /** A nurse writes a discharge summary, which only a doctor may: the server refuses it. */
  const nurseWritesSummary = (visitId: string, summary: string) =>
    writeClinical(ward.as('nurse@hass.example'), (batch) =>
      batch.update(visits, visitId, { dischargeSummary: summary }),
    );
  const editPhone = (ws: TestWorkstation, email: string, patientId: string, phone: string) =>
    writeClinical(ws.as(email), (batch) => batch.update(patients, patientId, { phone }));

  const expectSameAsServer = async () => {
    const expected = await serverVersions(server.database, DEMO_HOSPITAL_ID);
    expect(replicaVersions(ward.db, DEMO_HOSPITAL_ID)).toEqual(expected);
    expect(replicaVersions(desk.db, DEMO_HOSPITAL_ID)).toEqual(expected);
  };

  it('lists a refusal whose answer was cut, and takes the server’s row', async () => {
    const visit = visitOf(ward, 0);
    nurseWritesSummary(visit.id, 'Home on Friday.');
    loseRefusalsAndConflicts(1);
    expect((await ward.sync()).ok).toBe(false);
    expect(proxy.stats.droppedReplies).toBe(1);
    expect(ward.engine.status().pending).toBe(1);

    expect((await ward.sync()).ok).toBe(true);
    const refused = ward.db.select().from(outbox).where(eq(outbox.status, 'rejected')).all();
    expect(refused.map((m) => [m.rowId, m.reasonCode])).toEqual([[visit.id, 'forbidden']]);
    expect(ward.engine.status().needsAttention).toBe(1);
    const row = ward.db.select().from(visits).where(eq(visits.id, visit.id)).get();
    expect(row?.dischargeSummary ?? null).toBe(
      await serverField('visits', 'discharge_summary', visit.id),
    );
    // The refusal raised an alert on the server: the desk pulls it like any row.
    expect((await desk.sync()).ok).toBe(true);
    await expectSameAsServer();
  });

  it('records a conflict whose answer was cut, once, with both values', async () => {
    const patient = patientOf(desk, 0);
    editPhone(desk, 'reception@hass.example', patient.id, '+44 7700 900501');
    expect((await desk.sync()).ok).toBe(true);
    editPhone(ward, 'nurse@hass.example', patient.id, '+44 7700 900502');
    loseRefusalsAndConflicts(1);
    expect((await ward.sync()).ok).toBe(false);
    expect(proxy.stats.droppedReplies).toBe(2);

    expect((await ward.sync()).ok).toBe(true);
    expect((await desk.sync()).ok).toBe(true);
    const recorded = ward.db
      .select()
      .from(syncConflicts)
      .where(eq(syncConflicts.rowId, patient.id))
      .all();
    expect(recorded.map((c) => [c.localValues, c.serverValues])).toEqual([
      [{ phone: '+44 7700 900502' }, { phone: '+44 7700 900501' }],
    ]);
    const row = ward.db.select().from(patients).where(eq(patients.id, patient.id)).get();
    expect(row?.phone).toBe('+44 7700 900501');
    await expectSameAsServer();
  });

  it('lists every refusal and conflict exactly once when their answers are lost again and again', async () => {
    const rounds = 4;
    for (let round = 0; round < rounds; round += 1) {
      for (let i = 0; i < 3; i += 1) {
        editPhone(desk, 'reception@hass.example', patientOf(desk, i).id, `desk r${round} p${i}`);
      }
      expect((await desk.sync()).ok).toBe(true);
      // Offline on the ward: the same phones (conflicts), an address nobody else touches
      // (applied), discharge summaries a nurse may not write (refused), and vitals.
      for (let i = 0; i < 3; i += 1) {
        editPhone(ward, 'nurse@hass.example', patientOf(ward, i).id, `ward r${round} p${i}`);
      }
      writeClinical(ward.as('nurse@hass.example'), (batch) =>
        batch.update(patients, patientOf(ward, 3).id, { address: `${round} Quay Street` }),
      );
      nurseWritesSummary(visitOf(ward, round % 3).id, `Round ${round}: home soon.`);
      nurseWritesSummary(visitOf(ward, 3).id, `Round ${round}: stable.`);
      recordVitals(ward.as('nurse@hass.example'), {
        visitId: visitOf(ward, 1).id,
        heartRate: 70 + round,
      });

      // The same push answer is lost three times over before one gets through.
      loseRefusalsAndConflicts(3);
      let failed = 0;
      for (let attempt = 0; attempt < 10 && ward.engine.status().pending > 0; attempt += 1) {
        if (!(await ward.sync()).ok) failed += 1;
      }
      expect(failed).toBe(3);
      expect(ward.engine.status().pending).toBe(0);
    }
    proxy.dropReply = null;
    expect((await ward.sync()).ok).toBe(true);
    expect((await desk.sync()).ok).toBe(true);

    expect(proxy.stats.droppedReplies).toBe(2 + 3 * rounds);
    const listed = listedOutcomes(ward.db);
    const recorded = await serverOutcomes(server.database, ward.db);
    expect(listed).toEqual(recorded);
    expect(new Set(listed.conflicts).size).toBe(listed.conflicts.length);
    // The two earlier tests' outcomes and each round's: two refusals and three conflicts.
    expect(listed.refused).toHaveLength(1 + 2 * rounds);
    expect(listed.conflicts).toHaveLength(1 + 3 * rounds);
    for (let i = 0; i < 4; i += 1) {
      const visit = visitOf(ward, i);
      expect(visit.dischargeSummary ?? null).toBe(
        await serverField('visits', 'discharge_summary', visit.id),
      );
    }
    for (let i = 0; i < 3; i += 1) {
      expect(patientOf(ward, i).phone).toBe(`desk r${rounds - 1} p${i}`);
    }
    expect(patientOf(ward, 3).address).toBe(`${rounds - 1} Quay Street`);
    await expectSameAsServer();
  });

  it('takes a duplicate from a server before protocol 2 (no firstStatus) as applied', async () => {
    // What a protocol 1 server answered for a resend: the first version, nothing else.
    const protocolOne: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const body = (await response.json()) as { results?: Record<string, unknown>[] };
      for (const result of body.results ?? []) {
        if (result.status === 'duplicate') {
          delete result.firstStatus;
          delete result.warnings;
          delete result.serverRow;
        }
      }
      return new Response(JSON.stringify(body), {
        status: response.status,
        headers: { 'content-type': 'application/json' },
      });
    };
    const network = losingFetch(protocolOne);
    const old = await enrolledWorkstation('old-server', server.url, await server.enrollmentCode(), {
      fetch: network.fetch,
    });
    try {
      recordVitals(old.as('nurse@hass.example'), { visitId: visitOf(old, 2).id, heartRate: 64 });
      network.loseNextPushAnswers(1);
      expect((await old.sync()).ok).toBe(false);
      expect(network.lost).toBe(1);
      expect((await old.sync()).ok).toBe(true);
      expect(old.engine.status()).toMatchObject({ pending: 0, needsAttention: 0, conflicts: 0 });
      expect(replicaVersions(old.db, DEMO_HOSPITAL_ID)).toEqual(
        await serverVersions(server.database, DEMO_HOSPITAL_ID),
      );
    } finally {
      await old.close();
    }
  });
});

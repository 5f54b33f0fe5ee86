/**
 * What a person does with what sync could not settle: keep their own value of a conflict, or
 * take a refused change off the list after reading why.
 */
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditLogs,
  outbox,
  patients,
  syncConflicts,
  visits,
  vitals,
} from '../../../db/local/schema';
import { recordVitals } from '../../../main/services/vitals';
import { writeClinical } from '../../../main/services/write-path';
import {
  dismissRejected,
  listNeedsAttention,
  listOpenConflicts,
  resolveConflict,
} from '../../../main/sync/conflicts';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

describe('resolving what sync could not settle', () => {
  let server: CentralServer;
  let ward: TestWorkstation;
  let desk: TestWorkstation;

  beforeAll(async () => {
    server = await startCentralServer();
    ward = await enrolledWorkstation('resolve-ward', server.url, await server.enrollmentCode());
    desk = await enrolledWorkstation('resolve-desk', server.url, await server.enrollmentCode());
  });
  afterAll(async () => {
    await ward.close();
    await desk.close();
    await server.close();
  });

  it("keeps the desk's value of a conflict when the receptionist chooses it, everywhere", async () => {
    const patient = desk.db.select().from(patients).orderBy(patients.mrn).get();
    if (!patient) throw new Error('no patient');
    writeClinical(ward.as('nurse@hass.example'), (b) =>
      b.update(patients, patient.id, { phone: 'ward value' }),
    );
    writeClinical(desk.as('reception@hass.example'), (b) =>
      b.update(patients, patient.id, { phone: 'desk value' }),
    );
    await ward.sync();
    await desk.sync();
    const [conflict] = listOpenConflicts(desk.db);
    if (!conflict) throw new Error('expected a conflict on the desk');
    expect(conflict.localValues).toEqual({ phone: 'desk value' });

    resolveConflict(desk.as('reception@hass.example'), { id: conflict.id, choice: 'local' });
    expect(listOpenConflicts(desk.db)).toEqual([]);
    expect(
      desk.db.select().from(syncConflicts).where(eq(syncConflicts.id, conflict.id)).get()
        ?.resolution,
    ).toBe('local');
    await desk.sync();
    await ward.sync();
    const onServer = await server.database.db.execute<{ phone: string }>(
      sql`select phone from patients where id = ${patient.id}`,
    );
    expect(onServer.rows[0]?.phone).toBe('desk value');
    expect(ward.db.select().from(patients).where(eq(patients.id, patient.id)).get()?.phone).toBe(
      'desk value',
    );
  });

  it('refuses a merge that leaves a conflicting field undecided', async () => {
    const patient = desk.db.select().from(patients).orderBy(patients.mrn).all()[1];
    if (!patient) throw new Error('no patient');
    writeClinical(ward.as('nurse@hass.example'), (b) =>
      b.update(patients, patient.id, { address: 'ward address' }),
    );
    writeClinical(desk.as('reception@hass.example'), (b) =>
      b.update(patients, patient.id, { address: 'desk address' }),
    );
    await ward.sync();
    await desk.sync();
    const conflict = listOpenConflicts(desk.db).find((c) => c.rowId === patient.id);
    if (!conflict) throw new Error('expected a conflict');
    expect(() =>
      resolveConflict(desk.as('reception@hass.example'), {
        id: conflict.id,
        choice: 'merged',
        values: {},
      }),
    ).toThrow(/Choose a value for address/);
    resolveConflict(desk.as('reception@hass.example'), {
      id: conflict.id,
      choice: 'merged',
      values: { address: 'desk address, flat 2' },
    });
    await desk.sync();
    const onServer = await server.database.db.execute<{ address: string }>(
      sql`select address from patients where id = ${patient.id}`,
    );
    expect(onServer.rows[0]?.address).toBe('desk address, flat 2');
  });

  it('takes a refused entry off the list after it is read, keeping it in the audit trail', async () => {
    const visit = ward.db.select().from(visits).where(eq(visits.status, 'admitted')).get();
    if (!visit) throw new Error('no visit');
    const entry = recordVitals(ward.as('labtech@hass.example'), {
      visitId: visit.id,
      heartRate: 66,
    });
    await ward.sync();
    const [item] = listNeedsAttention(ward.db);
    expect(item?.reasonCode).toBe('forbidden');
    if (!item) return;

    dismissRejected(ward.as('nurse@hass.example'), item.mutationId);
    expect(listNeedsAttention(ward.db)).toEqual([]);
    expect(
      ward.db.select().from(vitals).where(eq(vitals.id, entry.id)).get()?.deletedAt,
    ).not.toBeNull();
    const audit = ward.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.entityId, entry.id))
      .orderBy(asc(auditLogs.deviceSeq))
      .all();
    expect(audit.map((event) => event.action)).toEqual([
      'vitals.record',
      'sync.dismiss_rejected',
      'sync.withdraw_refused_insert',
    ]);
    // The server never had the row: hiding it here sends nothing.
    expect(ward.db.select().from(outbox).where(eq(outbox.rowId, entry.id)).all()).toEqual([]);
    expect(() => dismissRejected(ward.as('nurse@hass.example'), item.mutationId)).toThrow(
      /already dealt with/,
    );
    expect((await ward.sync()).ok).toBe(true);
    expect(ward.engine.status().pending).toBe(0);
  });
});

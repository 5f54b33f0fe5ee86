/**
 * What the doctor writes into the stay's EMR record and what the pharmacist stops reach the real
 * central server (PostgreSQL) through the sync engine, are accepted under their roles, and the
 * record travels into the patient's global EMR at discharge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../../db/local/schema';
import { addEmrEntry } from '../../../main/services/emr-records';
import { dischargePatient } from '../../../main/services/discharge';
import { draftDischargeSummary } from '../../../main/services/discharge-summary';
import { discontinuePrescription } from '../../../main/services/prescriptions';
import { stableId } from '../../../shared/reference-data';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

const visit1 = stableId('visit', 'NGH/1');
const visit2 = stableId('visit', 'NGH/2');
const amoxicillin = stableId('prescription', `${visit2}/amoxicillin`);

describe('the EMR record and a pharmacist’s discontinuation, synced', () => {
  let server: CentralServer;
  let ward: TestWorkstation;

  beforeAll(async () => {
    server = await startCentralServer();
    ward = await enrolledWorkstation('emr-ward', server.url, await server.enrollmentCode());
  });
  afterAll(async () => {
    await ward.close();
    await server.close();
  });

  const query = async (sql: string, values: unknown[]): Promise<unknown[]> => {
    const result = await server.database.db.$client.query<Record<string, unknown>>(sql, values);
    return result.rows;
  };

  it('are applied by the server, and the entry is promoted with the stay at discharge', async () => {
    const entry = addEmrEntry(ward.as('doctor@hass.example'), {
      visitId: visit1,
      kind: 'assessment',
      sections: [
        { heading: 'Impression', text: 'Right lower lobe pneumonia, improving.' },
        { heading: 'Plan', text: 'Oral antibiotics; home tomorrow if afebrile.' },
      ],
    });
    discontinuePrescription(ward.as('pharmacist@hass.example'), {
      prescriptionId: amoxicillin,
      reason: 'Course complete',
    });
    const pushed = await ward.sync();
    expect(pushed).toMatchObject({ ok: true, pushed: 2 });
    expect(ward.db.select().from(outbox).all()).toEqual([]);

    expect(await query('select kind, body from emr_local where id = $1', [entry.id])).toEqual([
      {
        kind: 'assessment',
        body: {
          Impression: 'Right lower lobe pneumonia, improving.',
          Plan: 'Oral antibiotics; home tomorrow if afebrile.',
        },
      },
    ]);
    expect(
      await query('select status, notes from prescriptions where id = $1', [amoxicillin]),
    ).toEqual([{ status: 'discontinued', notes: 'Course complete' }]);

    const draft = draftDischargeSummary(ward.as('doctor@hass.example'), { visitId: visit1 });
    dischargePatient(ward.as('doctor@hass.example'), {
      visitId: visit1,
      summaryDraftId: draft.id,
      summary: 'Recovered; home on oral antibiotics.',
    });
    expect(await ward.sync()).toMatchObject({ ok: true });
    const [promoted] = await query('select record from emr_global where visit_id = $1', [visit1]);
    const record = (
      promoted as { record: { emrLocal: { id: string; body: unknown }[] } } | undefined
    )?.record;
    expect(record?.emrLocal.map((row) => row.id)).toContain(entry.id);
    expect(record?.emrLocal.find((row) => row.id === entry.id)?.body).toMatchObject({
      Plan: 'Oral antibiotics; home tomorrow if afebrile.',
    });
  });
});

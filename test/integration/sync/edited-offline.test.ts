/**
 * Rows edited several times offline go to the server in one push: the server merges a device's
 * own earlier edits of a row, so the workstation no longer cuts a batch at a row's second edit
 * (which cost one round trip per edit when a nurse went through her patients one by one).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patients } from '../../../db/local/schema';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { writeClinical } from '../../../main/services/write-path';
import { ENDPOINTS } from '../../../shared/endpoints';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { replicaVersions, serverVersions } from '../../support/convergence';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

const EDITS_PER_PATIENT = 4;

describe('patients edited several times offline', () => {
  let server: CentralServer;
  let ward: TestWorkstation;
  let pushes = 0;

  beforeAll(async () => {
    server = await startCentralServer();
    const counting: typeof fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (new URL(url).pathname === ENDPOINTS.push.path) pushes += 1;
      return fetch(input, init);
    };
    ward = await enrolledWorkstation('edits', server.url, await server.enrollmentCode(), {
      fetch: counting,
    });
  });
  afterAll(async () => {
    await ward.close();
    await server.close();
  });

  const demoPatients = () => ward.db.select().from(patients).orderBy(patients.mrn).all();
  const edit = (id: string, changes: { phone?: string; address?: string }) =>
    writeClinical(ward.as('nurse@hass.example'), (batch) => batch.update(patients, id, changes));

  /** Syncs once and returns how many push requests it made. */
  const pushesOfOneSync = async () => {
    pushes = 0;
    expect((await ward.sync()).ok).toBe(true);
    return pushes;
  };

  it('go in one push when she goes through them one by one', async () => {
    for (const patient of demoPatients()) {
      for (let i = 0; i < EDITS_PER_PATIENT; i += 1) {
        edit(patient.id, i % 2 ? { address: `${i} Quay St` } : { phone: `+44 7700 9001${i}` });
      }
    }
    expect(ward.engine.status().pending).toBe(6 * EDITS_PER_PATIENT);
    expect(await pushesOfOneSync()).toBe(1);
    expect(ward.engine.status()).toMatchObject({ pending: 0, conflicts: 0, needsAttention: 0 });
    for (const patient of demoPatients()) {
      expect([patient.phone, patient.address]).toEqual(['+44 7700 90012', '3 Quay St']);
    }
    expect(replicaVersions(ward.db, DEMO_HOSPITAL_ID)).toEqual(
      await serverVersions(server.database, DEMO_HOSPITAL_ID),
    );
  });

  it('go in one push when she comes back to each of them in turn', async () => {
    for (let round = 0; round < EDITS_PER_PATIENT; round += 1) {
      for (const patient of demoPatients()) edit(patient.id, { phone: `+44 7700 9002${round}` });
    }
    expect(await pushesOfOneSync()).toBe(1);
    expect(ward.engine.status()).toMatchObject({ pending: 0, conflicts: 0, needsAttention: 0 });
    const [first] = demoPatients();
    const row = ward.db
      .select()
      .from(patients)
      .where(eq(patients.id, first?.id ?? ''))
      .get();
    expect(row?.phone).toBe(`+44 7700 9002${EDITS_PER_PATIENT - 1}`);
    expect(replicaVersions(ward.db, DEMO_HOSPITAL_ID)).toEqual(
      await serverVersions(server.database, DEMO_HOSPITAL_ID),
    );
  });
});

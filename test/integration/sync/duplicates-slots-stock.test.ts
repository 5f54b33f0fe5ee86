/**
 * What two reception desks and a ward do offline that only the server can reconcile (issue 13):
 * one person registered twice and merged (on a third workstation, itself offline), late vitals
 * from a desk that had not heard of the merge, one doctor's slot booked twice, and one stock item
 * dispensed on two workstations. Everything converges; nothing typed is lost.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clinicalAlerts,
  inventory,
  patients,
  syncConflicts,
  users,
  vitals,
  wards,
} from '../../../db/local/schema';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { admitPatient } from '../../../main/services/admission';
import { bookAppointment } from '../../../main/services/appointments';
import { listInventory, recordStockMovement } from '../../../main/services/inventory';
import { mergePatients } from '../../../main/services/patient-merge';
import { searchPatients } from '../../../main/services/patient-search';
import { registerPatient } from '../../../main/services/patients';
import { recordVitals } from '../../../main/services/vitals';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import {
  replicaPatientLinks,
  replicaStockOnHand,
  replicaVersions,
  serverPatientLinks,
  serverStockOnHand,
  serverVersions,
} from '../../support/convergence';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

describe('two desks and a ward offline: duplicates, a double-booked slot, shared stock', () => {
  let server: CentralServer;
  let front: TestWorkstation;
  let ward: TestWorkstation;
  let office: TestWorkstation;

  beforeAll(async () => {
    server = await startCentralServer();
    front = await enrolledWorkstation('front-desk', server.url, await server.enrollmentCode());
    ward = await enrolledWorkstation('ward-desk', server.url, await server.enrollmentCode());
    office = await enrolledWorkstation('office', server.url, await server.enrollmentCode());
  });
  afterAll(async () => {
    for (const ws of [front, ward, office]) await ws.close();
    await server.close();
  });

  const syncAll = async () => {
    for (let round = 0; round < 2; round += 1)
      for (const ws of [front, ward, office]) expect((await ws.sync()).ok).toBe(true);
  };

  const converged = async () => {
    const versions = await serverVersions(server.database, DEMO_HOSPITAL_ID);
    const links = await serverPatientLinks(server.database, DEMO_HOSPITAL_ID);
    const stock = await serverStockOnHand(server.database, DEMO_HOSPITAL_ID);
    for (const ws of [front, ward, office]) {
      expect(ws.engine.status().pending, ws.name).toBe(0);
      expect(replicaVersions(ws.db, DEMO_HOSPITAL_ID), ws.name).toEqual(versions);
      expect(replicaPatientLinks(ws.db, DEMO_HOSPITAL_ID), ws.name).toEqual(links);
      expect(replicaStockOnHand(ws.db, DEMO_HOSPITAL_ID), ws.name).toEqual(stock);
    }
  };

  const person = {
    firstName: 'Oskar',
    lastName: 'Lindgren',
    dateOfBirth: '1972-02-08',
    sex: 'male' as const,
  };

  it('one person registered on two desks offline, merged on a third, and late vitals land on the survivor', async () => {
    const atFront = registerPatient(front.as('reception@hass.example'), person);
    const atWard = registerPatient(ward.as('reception@hass.example'), {
      ...person,
      allergies: [{ substance: 'Penicillin' }],
    });
    const wardId = ward.db.select().from(wards).all()[0]?.id ?? '';
    const stay = admitPatient(ward.as('nurse@hass.example'), {
      patientId: atWard.id,
      wardId,
      bedId: null,
    });
    recordVitals(ward.as('nurse@hass.example'), { visitId: stay.id, heartRate: 88 });
    expect((await front.sync()).ok).toBe(true);
    expect((await ward.sync()).ok).toBe(true);
    expect((await office.sync()).ok).toBe(true);
    const alert = office.db
      .select()
      .from(clinicalAlerts)
      .where(eq(clinicalAlerts.kind, 'possible_duplicate_patient'))
      .all()
      .find((row) => row.patientId === atWard.id);
    expect(alert?.details).toMatchObject({ matchingPatientId: atFront.id });

    // The office merges offline; the ward desk has not heard of it and charts again meanwhile.
    mergePatients(office.as('manager@hass.example'), {
      survivorId: atFront.id,
      mergedId: atWard.id,
    });
    expect(
      searchPatients(office.db, DEMO_HOSPITAL_ID, { query: atWard.mrn }).map((p) => p.id),
    ).toEqual([atFront.id]);
    const late = recordVitals(ward.as('nurse@hass.example'), {
      visitId: stay.id,
      heartRate: 91,
      notes: 'late',
    });
    expect((await office.sync()).ok).toBe(true);
    expect((await ward.sync()).ok).toBe(true);
    await syncAll();

    const stored = await server.database.db.$client.query<{ patient_id: string }>(
      'select patient_id from vitals where id = $1',
      [late.id],
    );
    expect(stored.rows[0]?.patient_id).toBe(atFront.id);
    for (const ws of [front, ward, office]) {
      const found = searchPatients(ws.db, DEMO_HOSPITAL_ID, { query: atWard.mrn });
      expect(
        found.map((p) => p.id),
        ws.name,
      ).toEqual([atFront.id]);
      expect(found[0]?.alsoKnownAs, ws.name).toEqual([atWard.mrn]);
      expect(found[0]?.activeVisit?.visitId, ws.name).toBe(stay.id);
      const merged = ws.db.select().from(patients).where(eq(patients.id, atWard.id)).get();
      expect(merged?.mergedIntoId, ws.name).toBe(atFront.id);
      const charted = ws.db.select().from(vitals).where(eq(vitals.visitId, stay.id)).all();
      expect(
        charted.map((v) => v.patientId),
        ws.name,
      ).toEqual([atFront.id, atFront.id]);
    }
    const survivor = front.db.select().from(patients).where(eq(patients.id, atFront.id)).get();
    expect(survivor?.allergies).toEqual([{ substance: 'Penicillin' }]);
    await converged();
  });

  it('one slot booked on two desks offline: both kept, the later one a slot_taken conflict, and an alert', async () => {
    const doctor = front.db
      .select()
      .from(users)
      .where(eq(users.email, 'doctor@hass.example'))
      .get();
    const [first, second] = front.db.select().from(patients).limit(2).all();
    if (!doctor || !first || !second) throw new Error('demo data missing');
    const at = '2026-12-07T10:00:00.000Z';
    const mine = bookAppointment(front.as('reception@hass.example'), {
      patientId: first.id,
      doctorId: doctor.id,
      scheduledAt: at,
    });
    const theirs = bookAppointment(ward.as('reception@hass.example'), {
      patientId: second.id,
      doctorId: doctor.id,
      scheduledAt: '2026-12-07T10:05:00.000Z',
    });
    expect((await front.sync()).ok).toBe(true);
    expect((await ward.sync()).ok).toBe(true);
    const conflict = ward.db
      .select()
      .from(syncConflicts)
      .where(and(eq(syncConflicts.rowId, theirs.id), eq(syncConflicts.reasonCode, 'slot_taken')))
      .get();
    expect(conflict).toBeDefined();
    await syncAll();
    for (const ws of [front, ward, office]) {
      const alert = ws.db
        .select()
        .from(clinicalAlerts)
        .where(eq(clinicalAlerts.kind, 'slot_taken'))
        .all()
        .find((row) => row.details.appointmentId === theirs.id);
      expect(alert?.details, ws.name).toMatchObject({
        otherAppointmentId: mine.id,
        doctorId: doctor.id,
      });
    }
    await converged();
  });

  it('one stock item dispensed on two workstations offline: both count, and below zero is an alert', async () => {
    const saline = front.db.select().from(inventory).where(eq(inventory.sku, 'MED-NACL-1L')).get();
    if (!saline) throw new Error('no saline in the demo');
    const stock = (ws: TestWorkstation) =>
      listInventory(ws.db, DEMO_HOSPITAL_ID, new Date()).find((item) => item.id === saline.id)
        ?.quantity;
    expect(stock(front)).toBe(8);
    recordStockMovement(front.as('pharmacist@hass.example'), {
      itemId: saline.id,
      kind: 'dispensed',
      quantity: 5,
      reason: 'Ward A',
    });
    recordStockMovement(ward.as('pharmacist@hass.example'), {
      itemId: saline.id,
      kind: 'dispensed',
      quantity: 4,
      reason: 'Ward B',
    });
    expect(stock(front)).toBe(3);
    expect(stock(ward)).toBe(4);
    await syncAll();
    for (const ws of [front, ward, office]) expect(stock(ws), ws.name).toBe(-1);
    const alerts = office.db
      .select()
      .from(clinicalAlerts)
      .where(eq(clinicalAlerts.kind, 'negative_stock'))
      .all();
    expect(alerts.map((a) => a.details)).toEqual([
      expect.objectContaining({ itemId: saline.id, onHand: -1 }),
    ]);
    await converged();
  });
});

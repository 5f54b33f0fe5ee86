/** The wristband and specimen labels of one patient, from the replica (prints offline). */
import { and, eq, sql } from 'drizzle-orm';
import { beds, patients, visits, wards } from '../../db/local/schema';
import type { WristbandPrint } from '../../shared/print/wristband';
import { refuse } from '../errors';
import { readSyncState } from '../sync/sync-state';
import type { ReplicaReader } from './replica-reader';

export function gatherWristband(
  db: ReplicaReader,
  options: { patientId: string; labels: number; now: Date; utcOffsetMinutes: number },
): WristbandPrint {
  const patient = db.select().from(patients).where(eq(patients.id, options.patientId)).get();
  if (!patient)
    refuse('not_found', 'That patient does not exist on this workstation.', 'not_found');
  const stay = db
    .select({ ward: wards.name, bed: beds.number })
    .from(visits)
    .innerJoin(wards, eq(wards.id, visits.wardId))
    .leftJoin(beds, eq(beds.id, visits.bedId))
    .where(
      and(
        eq(visits.patientId, patient.id),
        eq(visits.status, 'admitted'),
        sql`${visits.deletedAt} is null`,
      ),
    )
    .get();
  return {
    patient: {
      mrn: patient.mrn,
      name: `${patient.lastName.toUpperCase()}, ${patient.firstName}`,
      dateOfBirth: patient.dateOfBirth,
      sex: patient.sex,
      allergies: patient.allergies,
      ward: stay?.ward ?? null,
      bed: stay?.bed ?? null,
    },
    printedAt: options.now.toISOString(),
    lastSyncAt: readSyncState(db).lastSuccessAt,
    utcOffsetMinutes: options.utcOffsetMinutes,
    labels: options.labels,
  };
}

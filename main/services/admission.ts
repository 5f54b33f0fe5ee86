import { and, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { patients, visits, wards } from '../../db/local/schema';
import { VisitFieldsSchema } from '../../shared/schemas/visits';
import { refuse } from '../errors';
import { claimBed } from './beds';
import { parseInput } from './validate';
import { writeClinical, type WriteBatch, type WriteContext } from './write-path';

export const AdmitPatientInput = VisitFieldsSchema.pick({
  patientId: true,
  wardId: true,
  bedId: true,
}).extend({
  attendingDoctorId: VisitFieldsSchema.shape.attendingDoctorId.default(null),
  admissionReason: VisitFieldsSchema.shape.admissionReason.default(null),
  admittedAt: VisitFieldsSchema.shape.admittedAt.optional(),
});
export type AdmitPatientInput = z.input<typeof AdmitPatientInput>;

/** Opens a visit on a ward, in a free bed when one is given; the bed becomes occupied. */
export function admitPatient(context: WriteContext, input: AdmitPatientInput) {
  const fields = parseInput(AdmitPatientInput, input);
  return writeClinical(context, (batch) => {
    const patient = batch.db.select().from(patients).where(eq(patients.id, fields.patientId)).get();
    if (!patient)
      refuse('not_found', 'That patient is not registered on this workstation.', 'not_found');
    const ward = batch.db.select().from(wards).where(eq(wards.id, fields.wardId)).get();
    if (!ward) refuse('not_found', 'That ward does not exist on this workstation.', 'not_found');
    refuseIfAdmitted(batch, patient);
    if (fields.bedId) claimBed(batch, { bedId: fields.bedId, wardId: ward.id });
    return batch.insert(
      visits,
      {
        ...fields,
        status: 'admitted',
        admittedAt: fields.admittedAt ?? batch.now,
        dischargedAt: null,
        dischargeSummary: null,
      },
      { action: 'visit.admit' },
    );
  });
}

function refuseIfAdmitted(
  batch: WriteBatch,
  patient: { id: string; firstName: string; lastName: string },
) {
  const open = batch.db
    .select({ wardName: wards.name })
    .from(visits)
    .innerJoin(wards, eq(wards.id, visits.wardId))
    .where(
      and(
        eq(visits.patientId, patient.id),
        eq(visits.status, 'admitted'),
        isNull(visits.deletedAt),
      ),
    )
    .get();
  if (open)
    refuse(
      'already_admitted',
      `${patient.firstName} ${patient.lastName} is already admitted to ${open.wardName}.`,
    );
}

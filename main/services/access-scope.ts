/**
 * What an administrator sets about who reads which chart (issue 15): a patient's restriction
 * (patient_restrictions), a person's wards (staff_ward_assignments) and whether the hospital uses
 * ward assignment at all (hospitals.wardAssignment). Each is an ordinary synced write, through
 * the write path, and reaches every workstation by sync; main/services/break-glass.ts reads them.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import {
  hospitals,
  patientRestrictions,
  patients,
  staffWardAssignments,
  users,
  wards,
} from '../../db/local/schema';
import { RESTRICTION_REASONS } from '../../shared/catalog/care';
import { IdSchema } from '../../shared/schemas/common';
import { refuse } from '../errors';
import type { ReplicaReader } from './replica-reader';
import { writeClinical, type WriteContext } from './write-path';

export const RestrictPatientInput = z.object({
  patientId: IdSchema,
  reason: z.enum(RESTRICTION_REASONS, { message: 'Choose why the record is restricted.' }),
});

export function restrictPatient(
  context: WriteContext,
  input: z.infer<typeof RestrictPatientInput>,
) {
  return writeClinical(context, (batch) => {
    const patient = batch.read(patients, input.patientId);
    if (patient.deletedAt !== null)
      refuse('not_found', 'That patient is not on this workstation.', 'not_found');
    const current = activeRestriction(batch.db, patient.id);
    if (current)
      return batch.update(patientRestrictions, current.id, {
        reason: input.reason,
        restrictedBy: batch.actor.userId,
      });
    return batch.insert(patientRestrictions, {
      patientId: patient.id,
      reason: input.reason,
      restrictedBy: batch.actor.userId,
    });
  });
}

export function liftRestriction(context: WriteContext, patientId: string) {
  return writeClinical(context, (batch) => {
    const current = activeRestriction(batch.db, patientId);
    if (!current) refuse('not_found', "This patient's record is not restricted.", 'not_found');
    batch.remove(patientRestrictions, current.id);
    return { lifted: true };
  });
}

export function activeRestriction(db: ReplicaReader, patientId: string) {
  return db
    .select()
    .from(patientRestrictions)
    .where(and(eq(patientRestrictions.patientId, patientId), isNull(patientRestrictions.deletedAt)))
    .get();
}

export const WardAssignmentInput = z.object({ userId: IdSchema, wardId: IdSchema });

export function assignWard(context: WriteContext, input: z.infer<typeof WardAssignmentInput>) {
  return writeClinical(context, (batch) => {
    batch.read(users, input.userId);
    batch.read(wards, input.wardId);
    const existing = batch.db
      .select()
      .from(staffWardAssignments)
      .where(
        and(
          eq(staffWardAssignments.userId, input.userId),
          eq(staffWardAssignments.wardId, input.wardId),
          isNull(staffWardAssignments.deletedAt),
        ),
      )
      .get();
    return existing ?? batch.insert(staffWardAssignments, input);
  });
}

export function unassignWard(context: WriteContext, assignmentId: string) {
  writeClinical(context, (batch) => {
    batch.remove(staffWardAssignments, assignmentId);
  });
  return { removed: true };
}

export function wardsOf(db: ReplicaReader, userId: string) {
  return db
    .select({
      id: staffWardAssignments.id,
      wardId: staffWardAssignments.wardId,
      wardName: wards.name,
    })
    .from(staffWardAssignments)
    .innerJoin(wards, eq(wards.id, staffWardAssignments.wardId))
    .where(and(eq(staffWardAssignments.userId, userId), isNull(staffWardAssignments.deletedAt)))
    .all();
}

/** Turns ward assignment on or off for the workstation's hospital. */
export function setWardAssignment(context: WriteContext, enabled: boolean) {
  return writeClinical(context, (batch) => {
    batch.update(hospitals, context.actor.hospitalId, { wardAssignment: enabled });
    return { wardAssignment: enabled };
  });
}

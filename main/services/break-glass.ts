/**
 * Who may open which chart without breaking the glass (issue 15), and the break-glass itself.
 *
 * A chart needs break-glass when the patient is restricted (patient_restrictions), or when the
 * person's hospital uses ward assignment (hospitals.wardAssignment) and the patient's current
 * stay is on a ward the person is not assigned to. Break-glass is a reason and the password again
 * (the `break_glass` re-authentication proof, checked by the router); it starts with a
 * `break_glass.start` audit event, and for BREAK_GLASS_MINUTES every read of that chart by that
 * person carries its purpose. The grant is read back from the audit chain itself, so it needs no
 * table of its own and survives a restart, and nothing but the chain can grant it.
 */
import { and, desc, eq, gte, isNull, sql } from 'drizzle-orm';
import {
  auditLogs,
  hospitals,
  patientRestrictions,
  patients,
  staffWardAssignments,
  visits,
} from '../../db/local/schema';
import {
  BREAK_GLASS_MINUTES,
  BREAK_GLASS_REASONS,
  breakGlassPurpose,
  type BreakGlassCause,
  type BreakGlassRequest,
} from '../../shared/break-glass';
import { refuse } from '../errors';
import type { ReplicaReader } from './replica-reader';
import { auditRead, type WriteContext } from './write-path';

export const BREAK_GLASS_START = 'break_glass.start';

/** Why `userId` needs break-glass for this patient's chart, or null when they have access. */
export function breakGlassCause(
  db: ReplicaReader,
  person: { userId: string; hospitalId: string },
  patientId: string,
): BreakGlassCause | null {
  const restricted = db
    .select({ id: patientRestrictions.id })
    .from(patientRestrictions)
    .where(and(eq(patientRestrictions.patientId, patientId), isNull(patientRestrictions.deletedAt)))
    .get();
  if (restricted) return 'restricted';
  if (!usesWardAssignment(db, person.hospitalId)) return null;
  const stay = db
    .select({ wardId: visits.wardId })
    .from(visits)
    .where(
      and(eq(visits.patientId, patientId), eq(visits.status, 'admitted'), isNull(visits.deletedAt)),
    )
    .get();
  // A patient on no ward (an outpatient, a discharged stay) is nobody's ward's: open to all.
  if (!stay) return null;
  return assignedToWard(db, person.userId, stay.wardId) ? null : 'outside_wards';
}

/**
 * Whether a ward's board is shown to this person: every ward, or with ward assignment on their
 * own. Any other ward's board and downtime pack (names, allergies, observations of every bed)
 * are not; a patient's chart there opens by break-glass. The hospital's switch is read once, for
 * a list of wards.
 */
export function wardShownTo(
  db: ReplicaReader,
  person: { userId: string; hospitalId: string },
): (wardId: string) => boolean {
  if (!usesWardAssignment(db, person.hospitalId)) return () => true;
  return (wardId) => assignedToWard(db, person.userId, wardId);
}

function usesWardAssignment(db: ReplicaReader, hospitalId: string): boolean {
  const hospital = db
    .select({ wardAssignment: hospitals.wardAssignment })
    .from(hospitals)
    .where(eq(hospitals.id, hospitalId))
    .get();
  return hospital?.wardAssignment === true;
}

function assignedToWard(db: ReplicaReader, userId: string, wardId: string): boolean {
  const assigned = db
    .select({ id: staffWardAssignments.id })
    .from(staffWardAssignments)
    .where(
      and(
        eq(staffWardAssignments.userId, userId),
        eq(staffWardAssignments.wardId, wardId),
        isNull(staffWardAssignments.deletedAt),
      ),
    )
    .get();
  return assigned !== undefined;
}

/** The refusal of a ward's board or pack to someone not assigned to it. */
export function refuseOutsideWard(
  db: ReplicaReader,
  person: { userId: string; hospitalId: string },
  wardId: string,
): void {
  if (!wardShownTo(db, person)(wardId))
    refuse(
      'ward_not_assigned',
      "This ward is not one of your wards, so its patients are not shown to you. A patient's chart there opens by break-glass.",
      'forbidden',
    );
}

export interface ActiveBreakGlass {
  /** The `break_glass.start` event: a read under it names it, a review signs it off. */
  startEventId: string;
  purpose: string;
  expiresAt: string;
}

/** This person's break-glass for this patient still running at `now`, if any. */
export function activeBreakGlass(
  db: ReplicaReader,
  userId: string,
  patientId: string,
  now: Date,
): ActiveBreakGlass | null {
  const since = new Date(now.getTime() - BREAK_GLASS_MINUTES * 60_000).toISOString();
  const start = db
    .select({
      id: auditLogs.id,
      at: auditLogs.at,
      purpose: sql<string | null>`json_extract(${auditLogs.after}, '$.purpose')`,
    })
    .from(auditLogs)
    .where(
      and(
        eq(auditLogs.entity, 'patients'),
        eq(auditLogs.entityId, patientId),
        eq(auditLogs.action, BREAK_GLASS_START),
        eq(auditLogs.userId, userId),
        gte(auditLogs.at, since),
        sql`json_extract(${auditLogs.after}, '$.outcome') = 'done'`,
      ),
    )
    .orderBy(desc(auditLogs.deviceSeq))
    .get();
  if (!start) return null;
  const expiresAt = Date.parse(start.at) + BREAK_GLASS_MINUTES * 60_000;
  if (expiresAt <= now.getTime()) return null;
  return {
    startEventId: start.id,
    purpose: start.purpose ?? 'break-glass',
    expiresAt: new Date(expiresAt).toISOString(),
  };
}

/**
 * The access a chart read runs under: null for standing access, the running break-glass, or a
 * refusal (`break_glass_required`) naming why, which the renderer answers with the dialog.
 */
export function requireChartAccess(
  context: WriteContext,
  patientId: string,
): ActiveBreakGlass | null {
  const cause = breakGlassCause(context.db, context.actor, patientId);
  if (!cause) return null;
  const running = activeBreakGlass(
    context.db,
    context.actor.userId,
    patientId,
    context.clock.now(),
  );
  if (running) return running;
  return refuse(
    'break_glass_required',
    cause === 'restricted'
      ? "This patient's record is restricted. To open it, give a reason and your password (break-glass); your access is recorded and reviewed."
      : 'This patient is not on your wards. To open the chart, give a reason and your password (break-glass); your access is recorded and reviewed.',
    'forbidden',
  );
}

/**
 * Starts a break-glass (the router has taken the password proof): one audit event, signed,
 * naming the patient, the purpose and why standing access did not reach. It is sent ahead of
 * the outbox at the next sync (main/sync/engine.ts).
 */
export function startBreakGlass(context: WriteContext, request: BreakGlassRequest) {
  const patient = context.db
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.id, request.patientId), isNull(patients.deletedAt)))
    .get();
  if (!patient) refuse('not_found', 'That patient is not on this workstation.', 'not_found');
  const cause = breakGlassCause(context.db, context.actor, patient.id);
  if (!cause)
    refuse(
      'invalid_input',
      'You can open this chart without break-glass: no reason is needed.',
      'invalid',
    );
  const purpose = breakGlassPurpose(request);
  auditRead(context, {
    action: BREAK_GLASS_START,
    entity: 'patients',
    entityId: patient.id,
    patientId: patient.id,
    purpose,
    details: { reason: request.reason, cause, minutes: BREAK_GLASS_MINUTES },
  });
  const running = activeBreakGlass(
    context.db,
    context.actor.userId,
    patient.id,
    context.clock.now(),
  );
  if (!running) throw new Error('break-glass: the start event just written is not found');
  return { ...running, reasonLabel: BREAK_GLASS_REASONS[request.reason] };
}

/**
 * What the API records besides the services' own events (issue 15): the lists a person reads
 * (ward board, patient search, pharmacy list, lab queue), the calls a permission refuses, and the
 * changes a workstation refused or failed. Every one is an audit event naming the person, their
 * role, the outcome and the patient when one is concerned; never what was typed or shown.
 */
import type { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { ZodError } from 'zod';
import type { AuditDetails, AuditOutcome } from '../../shared/protocol';
import { IdSchema } from '../../shared/schemas/common';
import { WardError } from '../errors';
import { prescriptions, visits } from '../../db/local/schema';
import type { ReplicaReader } from '../services/replica-reader';
import { auditRead, type WriteContext } from '../services/write-path';
import type { AuditInput } from '../services/audit';

/**
 * The ward board and the lab queue poll, and a search runs as a person types: one event per
 * person, session, list and subject (the ward) in this window, not one per poll or letter. The
 * trail still shows who looked at which list and when, to within the window.
 */
export const LIST_READ_WINDOW_MS = 5 * 60_000;

export const LIST_READ_ACTIONS = [
  'ward_board.read',
  'patients.search',
  'pharmacy_list.read',
  'lab_queue.read',
] as const;
export type ListReadAction = (typeof LIST_READ_ACTIONS)[number];

// Per session: a new session (another person, or the same one signing in again) records afresh.
const lastRecorded = new Map<string, number>();

function dueForRecord(key: string, nowMs: number): boolean {
  const last = lastRecorded.get(key);
  if (last !== undefined && nowMs - last < LIST_READ_WINDOW_MS) return false;
  if (lastRecorded.size > 10_000) lastRecorded.clear();
  lastRecorded.set(key, nowMs);
  return true;
}

export interface ListRead {
  sessionId: string;
  action: ListReadAction;
  entity: string;
  /** What the list is of (a ward id), or null for a hospital-wide list. */
  entityId: string | null;
  details?: AuditDetails;
}

/** Records that a person read a list, at most once per window (see LIST_READ_WINDOW_MS). */
export function auditListRead(context: WriteContext, read: ListRead): void {
  const key = `${read.sessionId}\u0000${read.action}\u0000${read.entityId ?? ''}`;
  if (!dueForRecord(key, context.clock.now().getTime())) return;
  auditRead(context, {
    action: read.action,
    entity: read.entity,
    entityId: read.entityId,
    ...(read.details ? { details: read.details } : {}),
  });
}

/** A call its permission refused: recorded once per window per session and call (screens poll). */
export function auditRefusedCall(
  context: WriteContext,
  refusal: { sessionId: string; path: string; permission: string },
): void {
  const key = `${refusal.sessionId}\u0000refused\u0000${refusal.path}`;
  if (!dueForRecord(key, context.clock.now().getTime())) return;
  auditRead(context, {
    action: 'access.refused',
    entity: 'procedures',
    entityId: null,
    outcome: 'refused',
    details: { procedure: refusal.path, permission: refusal.permission },
  });
}

const idIn = (input: object, key: string): string | null => {
  const parsed = IdSchema.safeParse((input as Record<string, unknown>)[key]);
  return parsed.success ? parsed.data : null;
};

/**
 * The patient a refused call was about: named in its raw input, or the patient of the stay or
 * prescription it names (a chart entry names the visit). Null when it names none of these.
 */
function patientOfInput(db: ReplicaReader, input: unknown): string | null {
  if (typeof input !== 'object' || input === null) return null;
  const patientId = idIn(input, 'patientId');
  if (patientId) return patientId;
  const visitId = idIn(input, 'visitId');
  if (visitId)
    return (
      db.select({ patientId: visits.patientId }).from(visits).where(eq(visits.id, visitId)).get()
        ?.patientId ?? null
    );
  const prescriptionId = idIn(input, 'prescriptionId');
  if (prescriptionId)
    return (
      db
        .select({ patientId: prescriptions.patientId })
        .from(prescriptions)
        .where(eq(prescriptions.id, prescriptionId))
        .get()?.patientId ?? null
    );
  return null;
}

const REFUSED_KINDS = new Set(['invalid', 'not_found', 'conflict', 'forbidden', 'locked']);

function outcomeOf(error: TRPCError): { outcome: AuditOutcome; code: string } {
  const cause = error.cause;
  if (cause instanceof WardError)
    return { outcome: REFUSED_KINDS.has(cause.kind) ? 'refused' : 'failed', code: cause.code };
  if (cause instanceof ZodError || error.code === 'BAD_REQUEST')
    return { outcome: 'refused', code: 'invalid_input' };
  return { outcome: 'failed', code: 'internal' };
}

/**
 * A change the workstation refused (validation, a clinical rule) or could not make: the write
 * path kept nothing, so this event is the only trace that it was tried. It names the call, the
 * refusal's code and the patient, never the values sent.
 */
export function auditUnmadeChange(
  context: WriteContext,
  call: { path: string; rawInput: unknown; error: TRPCError },
): void {
  const { outcome, code } = outcomeOf(call.error);
  const event: AuditInput = {
    action: call.path,
    entity: call.path.split('.')[0] ?? call.path,
    entityId: null,
    outcome,
    patientId: patientOfInput(context.db, call.rawInput),
    details: { code },
  };
  auditRead(context, event);
}

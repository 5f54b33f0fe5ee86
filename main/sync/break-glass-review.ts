/**
 * The Break-glass review for managers (issue 15): online, every break-glass of the hospital as
 * the server holds it (a signed read); offline, or without a key, this workstation's own, and it
 * says so. A sign-off is an audit event (`break_glass.review`) naming the start event: it reaches
 * the server with the trail and marks the break-glass reviewed on every workstation's review.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditLogs, patients, users } from '../../db/local/schema';
import type { BreakGlassEntry } from '../../shared/break-glass';
import { AuditContextSchema } from '../../shared/protocol';
import { IdSchema } from '../../shared/schemas/common';
import { refuse } from '../errors';
import { BREAK_GLASS_START } from '../services/break-glass';
import type { ReplicaReader } from '../services/replica-reader';
import { auditRead, type WriteContext } from '../services/write-path';
import { TransportError, type SyncTransport } from './transport';

export const BREAK_GLASS_REVIEW = 'break_glass.review';

/** A review line as the screen shows it: the patient by name and MRN, not only by id. */
export type BreakGlassReviewEntry = BreakGlassEntry & { patient: string | null };

export interface BreakGlassReviewAnswer {
  scope: 'server' | 'local';
  partialBecause: string | null;
  entries: BreakGlassReviewEntry[];
}

const OFFLINE =
  'The server cannot be reached: only the break-glass opened on this workstation is listed.';
const NO_KEY =
  'You signed in offline, so the server cannot be asked in your name: only the break-glass opened on this workstation is listed.';

export async function readBreakGlassReview(
  context: WriteContext,
  transport: SyncTransport | null,
): Promise<BreakGlassReviewAnswer> {
  const here = (why: string): BreakGlassReviewAnswer => ({
    scope: 'local',
    partialBecause: why,
    entries: withPatientNames(context.db, localBreakGlass(context.db)),
  });
  if (!transport) return here(OFFLINE);
  const signer = context.actor.signer;
  if (!signer) return here(NO_KEY);
  try {
    const review = await transport.breakGlassReview(signer);
    // A sign-off made here and not sent yet shows at once, not at the next sync.
    const entries = review.entries.map((entry) =>
      entry.reviewedAt ? entry : { ...entry, ...localSignOff(context.db, entry.id) },
    );
    return {
      scope: 'server',
      partialBecause: null,
      entries: withPatientNames(context.db, entries),
    };
  } catch (error) {
    if (!(error instanceof TransportError)) throw error;
    if (error.kind === 'unreachable') return here(OFFLINE);
    if (error.kind === 'forbidden' || error.kind === 'unauthorized')
      refuse('forbidden', `The server refused the review: ${error.message}`, 'forbidden');
    return refuse('server_unreachable', `The server could not answer: ${error.message}`);
  }
}

/**
 * The reviewer checks a reason against a person, so each line names the patient from the
 * replica's patient index ("Last, First (MRN)"); a patient this workstation does not know keeps
 * the id alone.
 */
function withPatientNames(db: ReplicaReader, entries: BreakGlassEntry[]): BreakGlassReviewEntry[] {
  const ids = [...new Set(entries.flatMap((entry) => (entry.patientId ? [entry.patientId] : [])))];
  const known = new Map(
    ids.length === 0
      ? []
      : db
          .select({
            id: patients.id,
            mrn: patients.mrn,
            firstName: patients.firstName,
            lastName: patients.lastName,
          })
          .from(patients)
          .where(inArray(patients.id, ids))
          .all()
          .map((p) => [p.id, `${p.lastName}, ${p.firstName} (${p.mrn})`] as const),
  );
  return entries.map((entry) => ({
    ...entry,
    patient: entry.patientId ? (known.get(entry.patientId) ?? entry.patientId) : null,
  }));
}

/** This workstation's own break-glass, newest first, with reads and sign-offs from its trail. */
export function localBreakGlass(db: ReplicaReader): BreakGlassEntry[] {
  const starts = db
    .select({ event: auditLogs, userName: users.fullName })
    .from(auditLogs)
    .leftJoin(users, eq(users.id, auditLogs.userId))
    .where(
      and(
        eq(auditLogs.action, BREAK_GLASS_START),
        sql`json_extract(${auditLogs.after}, '$.outcome') = 'done'`,
      ),
    )
    .orderBy(desc(auditLogs.deviceSeq))
    .limit(500)
    .all();
  return starts.map(({ event, userName }) => {
    const context = AuditContextSchema.safeParse(event.after);
    const reads =
      db
        .select({ n: sql<number>`count(*)` })
        .from(auditLogs)
        .where(
          and(
            eq(auditLogs.entity, 'patients'),
            eq(auditLogs.entityId, event.entityId ?? ''),
            eq(auditLogs.action, 'chart.read'),
            sql`json_extract(${auditLogs.after}, '$.details.breakGlassId') = ${event.id}`,
          ),
        )
        .get()?.n ?? 0;
    const cause = context.data?.details?.cause;
    return {
      id: event.id,
      at: event.at,
      userId: event.userId,
      userName,
      role: context.data?.role ?? null,
      patientId: context.data?.patientId ?? null,
      purpose: context.data?.purpose ?? null,
      cause: typeof cause === 'string' ? cause : null,
      workstation: 'This workstation',
      reads,
      ...localSignOff(db, event.id),
    };
  });
}

function localSignOff(db: ReplicaReader, startEventId: string) {
  const review = db
    .select({ at: auditLogs.at, by: users.fullName })
    .from(auditLogs)
    .leftJoin(users, eq(users.id, auditLogs.userId))
    .where(
      and(
        eq(auditLogs.entity, 'audit_logs'),
        eq(auditLogs.entityId, startEventId),
        eq(auditLogs.action, BREAK_GLASS_REVIEW),
      ),
    )
    .get();
  return { reviewedAt: review?.at ?? null, reviewedBy: review?.by ?? null };
}

export const SignOffInput = z.object({
  startEventId: IdSchema,
  patientId: IdSchema,
  /** Who opened it, as the review listed: nobody signs off their own. */
  openedBy: IdSchema.nullable(),
});

/** A manager signs a break-glass off: one audit event naming it, sent with the trail. */
export function signOffBreakGlass(context: WriteContext, input: z.infer<typeof SignOffInput>) {
  if (input.openedBy === context.actor.userId)
    refuse(
      'forbidden',
      'You opened this break-glass yourself: another manager must review it.',
      'forbidden',
    );
  auditRead(context, {
    action: BREAK_GLASS_REVIEW,
    entity: 'audit_logs',
    entityId: input.startEventId,
    patientId: input.patientId,
  });
  return { signedOff: true, at: context.clock.now().toISOString() };
}

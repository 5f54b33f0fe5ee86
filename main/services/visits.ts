import { visits } from '../../db/local/schema';
import { VISIT_TRANSITIONS, type VisitStatus } from '../../shared/schemas/visits';
import { refuse } from '../errors';
import { findById, type WriteBatch } from './write-path';

export type VisitRow = typeof visits.$inferSelect;

export function loadVisit(batch: Pick<WriteBatch, 'db'>, visitId: string): VisitRow {
  const visit = findById(batch.db, visits, visitId);
  if (!visit || visit.deletedAt !== null)
    refuse('not_found', 'That visit does not exist on this workstation.', 'not_found');
  return visit;
}

/** Clinical entries belong to an open stay; a discharged patient's chart is read-only here. */
export function requireAdmitted(visit: VisitRow): void {
  if (visit.status !== 'admitted') {
    refuse(
      'visit_not_active',
      `This visit is ${visit.status}${visit.dischargedAt ? ` since ${visit.dischargedAt.slice(0, 16).replace('T', ' ')}` : ''}; it can no longer be changed.`,
    );
  }
}

export function requireVisitTransition(visit: VisitRow, to: VisitStatus): void {
  if (!VISIT_TRANSITIONS[visit.status].includes(to)) {
    refuse(
      'invalid_transition',
      visit.status === 'discharged'
        ? `This patient was already discharged${visit.dischargedAt ? ` on ${visit.dischargedAt.slice(0, 10)}` : ''}.`
        : `A ${visit.status} visit cannot become ${to}.`,
    );
  }
}

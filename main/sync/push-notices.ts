/**
 * What the server said about a person's own change that they must hear at once (push.ts keeps
 * it): a possible double dose, a bed already taken. A notice waits for its person on this
 * workstation, and is told in the words of the clinical alert that came with it once the pull
 * after the push has brought that alert.
 */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { pushNotices } from '../../db/local/schema';
import { alertKindOfPushCode } from '../../shared/clinical-alerts';
import { findAlertRaisedBy, type AlertView } from '../services/clinical-alerts';
import { readSyncState } from './sync-state';

export interface PushNoticeView {
  id: string;
  title: string;
  urgency: 'act_now' | 'sort_out';
  /** The alert's sentence for the person whose change raised it, or the server's own. */
  text: string;
  alert: AlertView | null;
}

/**
 * The notices of this person not shown yet, ready to be told: their alert has arrived, or a pull
 * finished after the push without it (an older server raises none), so the server's sentence is
 * all there will be.
 */
export function listPushNotices(db: LocalDb, userId: string): PushNoticeView[] {
  const lastPullAt = readSyncState(db).lastPullAt;
  const waiting = db
    .select()
    .from(pushNotices)
    .where(and(eq(pushNotices.userId, userId), isNull(pushNotices.shownAt)))
    .orderBy(asc(pushNotices.receivedAt))
    .all();
  return waiting.flatMap((notice) => {
    const alert = findAlertRaisedBy(db, notice.mutationId);
    const pulledSince = lastPullAt !== null && lastPullAt >= notice.receivedAt;
    if (!alert && !pulledSince) return [];
    const kind = alertKindOfPushCode(notice.code);
    return [
      {
        id: notice.id,
        title: alert?.title ?? kind?.title ?? 'The server flagged your change',
        urgency: alert?.urgency ?? kind?.urgency ?? 'sort_out',
        text: alert?.notice ?? notice.message,
        alert,
      },
    ];
  });
}

/** The person has been shown these; they stay on record until the workstation is reset. */
export function markPushNoticesShown(
  db: LocalDb,
  userId: string,
  ids: readonly string[],
  now: Date,
): number {
  if (ids.length === 0) return 0;
  return db
    .update(pushNotices)
    .set({ shownAt: now.toISOString() })
    .where(
      and(
        eq(pushNotices.userId, userId),
        inArray(pushNotices.id, [...ids]),
        isNull(pushNotices.shownAt),
      ),
    )
    .run().changes;
}

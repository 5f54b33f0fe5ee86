/**
 * Lost answers, and what a workstation must show for them afterwards: every refusal and every
 * conflict the server recorded for its changes, each listed exactly once.
 */
import { sql } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { outbox, syncConflicts } from '../../db/local/schema';
import { ENDPOINTS } from '../../shared/endpoints';
import { readSyncState } from '../../main/sync/sync-state';
import type { TestDatabase } from './postgres';

export interface LosingFetch {
  fetch: typeof fetch;
  /** The next `count` push answers are lost after the server committed them. */
  loseNextPushAnswers(count?: number): void;
  /** Forgets answers still armed to be lost (a sync that had nothing to push). */
  disarm(): void;
  lost: number;
  /** How many of the lost answers reported a refusal or a conflict. */
  lostOutcomes: number;
}

/**
 * A fetch that loses the answer to a push once the server has sent it, so after the server has
 * committed: the workstation sees what a connection cut on the way back looks like.
 */
export function losingFetch(base: typeof fetch = fetch): LosingFetch {
  let armed = 0;
  const control: LosingFetch = {
    lost: 0,
    lostOutcomes: 0,
    loseNextPushAnswers(count = 1) {
      armed = count;
    },
    disarm() {
      armed = 0;
    },
    fetch: async (input, init) => {
      const response = await base(input, init);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (armed === 0 || new URL(url).pathname !== ENDPOINTS.push.path) return response;
      armed -= 1;
      control.lost += 1;
      if (reportsRefusalOrConflict(await response.text())) control.lostOutcomes += 1;
      throw new TypeError('fetch failed', { cause: new Error('connection reset on the way back') });
    },
  };
  return control;
}

/** Whether a push answer (its JSON text) reports a refusal or a conflict, first time or repeated. */
export const reportsRefusalOrConflict = (body: string): boolean =>
  body.startsWith('{"results":') && /"(?:status|firstStatus)":"(?:rejected|conflict)"/.test(body);

/** Mutation ids of the workstation's listed refusals and of its conflict records (with repeats). */
export function listedOutcomes(db: LocalDb): { refused: string[]; conflicts: string[] } {
  return {
    refused: db
      .select({ id: outbox.mutationId })
      .from(outbox)
      .where(sql`${outbox.status} = 'rejected'`)
      .all()
      .map((row) => row.id)
      .sort(),
    conflicts: db
      .select({ id: syncConflicts.mutationId })
      .from(syncConflicts)
      .all()
      .map((row) => row.id)
      .sort(),
  };
}

/** The same, as the server recorded them for this workstation's device. */
export async function serverOutcomes(
  database: TestDatabase,
  db: LocalDb,
): Promise<{ refused: string[]; conflicts: string[] }> {
  const deviceId = readSyncState(db).deviceId;
  const refused = await database.db.execute<{ id: string }>(
    sql`select mutation_id::text as id from applied_mutations
         where device_id = ${deviceId} and status = 'rejected' order by 1`,
  );
  // Answered conflicts, not every server conflict record: an edit of a merged record that the
  // survivor did not take is applied to the merged record and kept only in the server's record.
  const conflicts = await database.db.execute<{ id: string }>(
    sql`select mutation_id::text as id from applied_mutations
         where device_id = ${deviceId} and status = 'conflict' order by 1`,
  );
  return {
    refused: refused.rows.map((row) => row.id).sort(),
    conflicts: conflicts.rows.map((row) => row.id).sort(),
  };
}

/**
 * A full disk (issue 14): SQLite answers SQLITE_FULL when it cannot grow the replica or its WAL
 * (ENOSPC, a quota, or max_page_count). The transaction is rolled back whole, so the sentence can
 * say plainly that the entry was not saved; "Something went wrong" would leave a nurse believing
 * it was.
 */
import { SqliteError } from 'better-sqlite3';
import { WardError } from './errors';

export const DISK_FULL_MESSAGE =
  'The disk of this computer is full; this entry was not saved. Tell IT.';

export function isDiskFull(error: unknown): boolean {
  if (error instanceof SqliteError) return error.code === 'SQLITE_FULL';
  return (error as { code?: unknown } | null)?.code === 'ENOSPC';
}

/** The refusal a person sees for a write the full disk stopped; any other error unchanged. */
export function diskFullRefusal(error: unknown): unknown {
  return isDiskFull(error) ? new WardError('disk_full', DISK_FULL_MESSAGE, 'conflict') : error;
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const JournalSchema = z.object({
  entries: z.array(z.object({ idx: z.number(), when: z.number(), tag: z.string() })),
});

/** The newest migration this build knows, read from drizzle-kit's journal. */
export function newestKnownMigration(migrationsFolder: string): { when: number; tag: string } {
  const journal = JournalSchema.parse(
    JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')),
  );
  const newest = journal.entries.at(-1);
  if (!newest) throw new Error(`No migrations found in ${migrationsFolder}`);
  return newest;
}

export class DatabaseFromTheFutureError extends Error {
  readonly code = 'database_from_newer_version';
  constructor(what: string, appliedAt: number, knownAt: number) {
    super(
      `${what} was last upgraded by a newer version of Wardline (schema of ` +
        `${new Date(appliedAt).toISOString()}, this version knows up to ` +
        `${new Date(knownAt).toISOString()}). Install the newer version; nothing was changed.`,
    );
    this.name = 'DatabaseFromTheFutureError';
  }
}

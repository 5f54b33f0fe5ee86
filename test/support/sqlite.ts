import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalDb } from '../../db/local/open';
import { openReplicaWithKeyFile } from '../../main/replica';

export interface TestReplica {
  file: string;
  db: LocalDb;
  close(): void;
}

/** A real SQLite file in a fresh temporary folder, migrated, removed on close. */
export function createTestReplica(): TestReplica {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-test-sqlite-'));
  const file = join(dir, 'replica.db');
  const db = openReplicaWithKeyFile(file);
  return {
    file,
    db,
    close: () => {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

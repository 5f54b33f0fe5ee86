/**
 * Writer killed after commit: a writer process is SIGKILLed right after a commit returns, run
 * after run on one replica file. On every reopen each acknowledged entry is there with its outbox
 * mutation, the audit chain verifies, and the outbox numbers only grow.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, inArray } from 'drizzle-orm';
import { outbox, syncState, vitals } from '../../../db/local/schema';
import { seedLocalDatabase } from '../../../db/local/seed';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { openReplicaWithKeyFile } from '../../../main/replica';
import { verifyDeviceAuditChain } from '../../../main/services/audit';
import { seededRandom } from '../../support/seeded-random';
import { runWriter } from '../children';
import type { ScenarioOutcome } from '../outcome';

export async function killAfterCommit(options: {
  seed: number;
  /** Writer processes, each killed after its last of 1–20 commits. */
  writers: number;
}): Promise<ScenarioOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-kill-'));
  const file = join(dir, 'replica.db');
  const outcome: ScenarioOutcome = { mutations: 0, lost: 0, doubled: 0, diverged: 0, faults: 0 };
  try {
    const setup = openReplicaWithKeyFile(file);
    seedLocalDatabase(setup, { demo: true, now: new Date() });
    setup.insert(syncState).values({ id: 1, hospitalId: DEMO_HOSPITAL_ID }).run();
    setup.$client.close();

    const random = seededRandom(options.seed);
    const acknowledged: string[] = [];
    for (let run = 0; run < options.writers; run += 1) {
      acknowledged.push(...(await runWriter(file, run, 1 + Math.floor(random() * 20))));
      outcome.faults += 1;
      const db = openReplicaWithKeyFile(file);
      try {
        const found = db
          .select({ id: vitals.id })
          .from(vitals)
          .where(inArray(vitals.id, acknowledged))
          .all();
        const mutations = db.select().from(outbox).orderBy(asc(outbox.deviceSeq)).all();
        const queued = new Set(mutations.map((m) => m.rowId));
        const numbers = mutations.map((m) => m.deviceSeq);
        const ascending = numbers.every((n, i) => i === 0 || n > (numbers[i - 1] ?? n));
        // The worst run is kept: a defect seen after one kill is not undone by the next.
        outcome.lost = Math.max(
          outcome.lost,
          acknowledged.length - found.length + acknowledged.filter((id) => !queued.has(id)).length,
        );
        outcome.doubled = Math.max(
          outcome.doubled,
          mutations.length - queued.size + (numbers.length - new Set(numbers).size),
        );
        outcome.diverged = Math.max(
          outcome.diverged,
          verifyDeviceAuditChain(db).length +
            mutations.filter((m) => m.signature === null).length +
            [...queued].filter((id) => !acknowledged.includes(id)).length +
            (ascending ? 0 : 1),
        );
      } finally {
        db.$client.close();
      }
    }
    outcome.mutations = acknowledged.length;
    return outcome;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

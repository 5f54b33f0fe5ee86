// A service that only reads, and writes through the write path: nothing here is reported.
import { createHash } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { users, vitals } from '../../../../../../db/local/schema';
import type { ReplicaReader } from '../../../../../../main/services/replica-reader';
import { writeClinical, type WriteContext } from '../../../../../../main/services/write-path';

const LATEST = `select id, recorded_at from vitals where visit_id = ? order by recorded_at desc limit 1`;

export function readVitals(db: ReplicaReader, visitId: string, columns: string) {
  const rows = db
    .select()
    .from(vitals)
    .where(and(eq(vitals.visitId, visitId), isNull(vitals.deletedAt)))
    .all();
  const latest = db.$client.prepare<[string], { id: string }>(LATEST).get(visitId);
  const picked = db.$client.prepare(`select ${columns} from vitals where id = ?`).all(visitId);
  const staff = db.$count(users);
  const seen = new Map<string, number>([['a', 1]]);
  seen.delete('a');
  const digest = createHash('sha256').update(visitId).digest('hex');
  return { rows, latest, picked, staff, digest };
}

export function renameThroughTheWritePath(context: WriteContext, userId: string) {
  return writeClinical(context, (batch) => {
    batch.read(users, userId);
    return batch.update(users, userId, { fullName: 'Renamed' }, { action: 'staff.rename' });
  });
}

// main/sync writes the server's rows and its own bookkeeping: nothing here is reported.
import { eq } from 'drizzle-orm';
import type { LocalDb } from '../../../../../../db/local/open';
import { outbox, users } from '../../../../../../db/local/schema';

export function applyServerUser(db: LocalDb, id: string, fullName: string): void {
  db.update(users).set({ fullName }).where(eq(users.id, id)).run();
  db.delete(outbox).where(eq(outbox.rowId, id)).run();
  db.$client.exec('pragma defer_foreign_keys = on');
}

/**
 * The server's word on who just signed in online, kept in the replica as the server's row. The
 * user row normally arrives by pull; before the first pull (or right after the server changed a
 * role) sign-in still needs it here. Like the pull, this writes what the server already holds,
 * so it carries no outbox mutation; the next pull brings the full row with its version.
 */
import type { LocalDb } from '../../db/local/open';
import { users } from '../../db/local/schema';
import type { Role } from '../../shared/roles';

export interface SignedInUser {
  id: string;
  /** Null when the user belongs to no hospital, or to one this replica does not know yet. */
  hospitalId: string | null;
  email: string;
  fullName: string;
  role: Role;
}

export function keepSignedInUser(db: Pick<LocalDb, 'insert'>, user: SignedInUser): void {
  const { id, ...fields } = user;
  db.insert(users)
    .values({ id, ...fields, active: true })
    .onConflictDoUpdate({ target: users.id, set: { ...fields, active: true } })
    .run();
}

/**
 * Changes that wait for their author's signature. A workstation upgraded from protocol 1 has
 * people with cached credentials but no signing key; signed in offline, what they change is
 * kept, unsigned, until their next online sign-in here makes and registers their key
 * (main/auth/sign-in.ts) and signs it. The server refuses an unsigned change, and a change's
 * device sequence number only grows, so nothing after the first waiting change is sent either:
 * a later change may build on it (a patient registered, then admitted), and once the server has
 * taken a later number it would refuse the earlier one as reused.
 */
import { and, asc, count, eq, gt, isNotNull, isNull } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { outbox, users } from '../../db/local/schema';
import { mutationSigningText } from '../../shared/authorship';
import type { Signer } from '../auth/signer';
import type { ReplicaReader } from '../services/replica-reader';
import { outboxMutation, type OutboxRow } from './outbox-mutation';

/** The batch up to (not including) its first unsigned mutation. */
export function untilUnsigned<T extends Pick<OutboxRow, 'signature'>>(batch: T[]): T[] {
  const end = batch.findIndex((mutation) => mutation.signature === null);
  return end === -1 ? batch : batch.slice(0, end);
}

/** Signs the person's waiting changes, in the order they were made, with their new key. */
export function signWaitingChanges(db: LocalDb, signer: Signer): number {
  const waiting = db
    .select()
    .from(outbox)
    .where(
      and(eq(outbox.userId, signer.userId), isNull(outbox.signature), eq(outbox.status, 'pending')),
    )
    .orderBy(asc(outbox.deviceSeq))
    .all();
  if (waiting.length === 0) return 0;
  db.transaction((tx) => {
    for (const row of waiting) {
      tx.update(outbox)
        .set({ signature: signer.sign(mutationSigningText(outboxMutation(row))) })
        .where(eq(outbox.deviceSeq, row.deviceSeq))
        .run();
    }
  });
  return waiting.length;
}

export interface WaitingPerson {
  /** Whose online sign-in the outbox waits for. */
  userId: string;
  fullName: string;
  /** Their unsigned changes. */
  changes: number;
  /** When the first of them was made. */
  since: string;
  /** The sentence the Sync screen shows. */
  reason: string;
}

export interface WaitingForSignatures {
  people: WaitingPerson[];
  /** Signed changes made after the first unsigned one, held back behind it. */
  heldBehind: number;
}

/** For the Sync screen: whose online sign-in the outbox waits for, first in line first. */
export function listWaitingForSignatures(db: ReplicaReader): WaitingForSignatures {
  const unsigned = db
    .select({
      userId: outbox.userId,
      fullName: users.fullName,
      deviceSeq: outbox.deviceSeq,
      clientTime: outbox.clientTime,
    })
    .from(outbox)
    .leftJoin(users, eq(users.id, outbox.userId))
    .where(and(eq(outbox.status, 'pending'), isNull(outbox.signature)))
    .orderBy(asc(outbox.deviceSeq))
    .all();
  const first = unsigned[0];
  if (!first) return { people: [], heldBehind: 0 };
  const heldBehind =
    db
      .select({ n: count() })
      .from(outbox)
      .where(
        and(
          eq(outbox.status, 'pending'),
          gt(outbox.deviceSeq, first.deviceSeq),
          isNotNull(outbox.signature),
        ),
      )
      .get()?.n ?? 0;
  const people = new Map<string, WaitingPerson>();
  for (const row of unsigned) {
    const name = row.fullName ?? 'a colleague no longer on this workstation';
    const person = people.get(row.userId) ?? {
      userId: row.userId,
      fullName: name,
      changes: 0,
      since: row.clientTime,
      reason: `Waiting for ${name} to sign in online once.`,
    };
    person.changes += 1;
    people.set(row.userId, person);
  }
  return { people: [...people.values()], heldBehind };
}

import { index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './access';
import { timestamp } from './columns';
import { hospitals } from './organisation';
import { devices } from './server';

// Authorship (SYNC-PROTOCOL.md, protocol 2): who may sign for whom, and the reads people signed.

/**
 * The Ed25519 public keys a person registered from one device, by signing in there. Every key
 * stays: a change signed before a password change is still checked against the key it was made
 * with. Only the server has this table.
 */
export const signingKeys = pgTable(
  'signing_keys',
  {
    id: uuid().primaryKey(),
    deviceId: uuid()
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Raw 32-byte public key, base64url without padding, as the login carried it. */
    publicKey: text().notNull(),
    registeredAt: timestamp().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('signing_keys_device_user_key_unique').on(t.deviceId, t.userId, t.publicKey),
    index('signing_keys_user_idx').on(t.userId),
  ],
);

/**
 * Reads a person made online with a signed request (the global EMR, the fleet list): who, from
 * which device, what (the patient), when, and whether it was answered. Refusals of a known
 * person (no permission) are kept too; an unproven caller is in the log only.
 */
export const signedReads = pgTable(
  'signed_reads',
  {
    id: uuid().primaryKey(),
    at: timestamp().notNull().defaultNow(),
    deviceId: uuid()
      .notNull()
      .references(() => devices.id, { onDelete: 'restrict' }),
    hospitalId: uuid()
      .notNull()
      .references(() => hospitals.id, { onDelete: 'restrict' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    /** e.g. `emr_global.read`. */
    action: text().notNull(),
    entity: text().notNull(),
    entityId: text(),
    /** `answered`, `forbidden` or `not_found`. */
    outcome: text().notNull(),
  },
  (t) => [
    index('signed_reads_entity_idx').on(t.entity, t.entityId, t.at),
    index('signed_reads_user_at_idx').on(t.userId, t.at),
  ],
);

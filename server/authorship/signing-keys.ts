/**
 * The key registry of SYNC-PROTOCOL.md "Authorship": the Ed25519 public keys each person
 * registered from each device, by signing in there. A device token proves the device; only a
 * key registered for (that device, that person) proves the person. Keys are never removed: a
 * change signed before a password change is still checked against the key it was made with.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { SIGNATURE_PATTERN } from '../../shared/authorship';

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

/** Registers `publicKey` for (device, user); registering it again changes nothing. */
export async function registerSigningKey(
  db: Queryable,
  key: { deviceId: string; userId: string; publicKey: string; now: Date },
): Promise<void> {
  await db.query(
    `insert into signing_keys (id, device_id, user_id, public_key, registered_at)
     values ($1, $2, $3, $4, $5)
     on conflict (device_id, user_id, public_key) do nothing`,
    [uuidv7(), key.deviceId, key.userId, key.publicKey, key.now.toISOString()],
  );
}

// A workstation's few people sign thousands of changes: each key is parsed once, not per check.
const parsedKeys = new Map<string, KeyObject>();
const MAX_PARSED_KEYS = 10_000;

function keyObject(publicKey: string): KeyObject {
  let key = parsedKeys.get(publicKey);
  if (!key) {
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    if (parsedKeys.size >= MAX_PARSED_KEYS) parsedKeys.clear();
    parsedKeys.set(publicKey, key);
  }
  return key;
}

/** Every key each of `userIds` registered from this device, oldest first. */
export async function loadSigningKeys(
  db: Queryable,
  deviceId: string,
  userIds: readonly string[],
): Promise<Map<string, KeyObject[]>> {
  const keys = new Map<string, KeyObject[]>();
  if (userIds.length === 0) return keys;
  const found = await db.query<{ user_id: string; public_key: string }>(
    `select user_id, public_key from signing_keys
      where device_id = $1 and user_id = any($2::uuid[])
      order by registered_at, id`,
    [deviceId, [...new Set(userIds)]],
  );
  for (const row of found.rows) {
    const list = keys.get(row.user_id) ?? [];
    list.push(keyObject(row.public_key));
    keys.set(row.user_id, list);
  }
  return keys;
}

export type SignatureCheck = 'verified' | 'missing' | 'no_key' | 'mismatch';

/**
 * Checks `signature` over `text` with any of the person's keys. Node's asynchronous verify runs
 * on the libuv pool, so a batch's checks spread over the cores instead of queueing on the one
 * thread that answers every request.
 */
export async function checkSignature(
  keys: readonly KeyObject[] | undefined,
  text: string,
  signature: string | undefined,
): Promise<SignatureCheck> {
  if (signature === undefined) return 'missing';
  if (!keys || keys.length === 0) return 'no_key';
  if (!SIGNATURE_PATTERN.test(signature)) return 'mismatch';
  const bytes = Buffer.from(signature, 'base64url');
  const data = Buffer.from(text, 'utf8');
  for (const key of keys) {
    const ok = await new Promise<boolean>((resolve) => {
      verify(null, data, key, bytes, (error, valid) => {
        resolve(!error && valid);
      });
    });
    if (ok) return 'verified';
  }
  return 'mismatch';
}

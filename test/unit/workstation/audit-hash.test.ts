import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, hashAuditEvent } from '../../../shared/audit-chain';
import { hashAuditEventNative } from '../../../main/services/audit';

describe('the workstation hashes audit events as the shared chain does', () => {
  const event = {
    id: '0193a6f0-0000-7000-8000-000000000001',
    deviceSeq: 7,
    at: '2026-11-23T08:00:00.000Z',
    userId: 'u1',
    action: 'vitals.record',
    entity: 'vitals',
    entityId: 'v1',
    before: { notes: null },
    after: {
      notes: 'Zoë: “sleeping”, 体温 正常 🙂',
      abnormal: ['spo2_low'],
      heartRate: 61,
      nested: { b: 1, a: [2, { d: null, c: true }] },
    },
    prevHash: GENESIS_HASH,
  };

  it('gives the same hash for an event with unicode, nesting and nulls', () => {
    expect(hashAuditEventNative(event)).toBe(hashAuditEvent(event));
  });

  it('ignores a hash member, as the shared function does', () => {
    expect(hashAuditEventNative({ ...event, hash: 'anything' })).toBe(hashAuditEvent(event));
  });

  it('changes when any member changes', () => {
    expect(hashAuditEventNative({ ...event, deviceSeq: 8 })).not.toBe(hashAuditEventNative(event));
  });
});

/**
 * The exact bytes a person signs (SYNC-PROTOCOL.md "Authorship"), pinned so that another client
 * written from the protocol page signs the same: the prefix, canonical JSON with members in
 * UTF-16 code unit order, no `signature` member, and for audit events the hash included.
 */
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, GENESIS_HASH, hashAuditEvent } from '../../../shared/audit-chain';
import {
  auditSigningText,
  mutationSigningText,
  requestSigningText,
} from '../../../shared/authorship';
import type { AuditEvent, Mutation } from '../../../shared/protocol';

const mutation: Mutation = {
  userId: '0190f5d2-7c1a-7000-8000-00000000aaaa',
  table: 'patients',
  op: 'update',
  mutationId: '0190f5d2-7c1a-7000-8000-000000000001',
  id: '0190f5d2-7c1a-7000-8000-0000000000bb',
  deviceSeq: 7,
  baseVersion: 3,
  data: { phone: '+44 7700 900111', allergies: [{ substance: 'Penicillin' }], address: undefined },
  clientTime: '2026-11-23T08:00:00.000Z',
  signature: 'left out of what is signed',
};

describe('the signed bytes', () => {
  it('of a mutation: the prefix, then canonical JSON of every member but the signature', () => {
    expect(mutationSigningText(mutation)).toBe(
      'wardline-mutation-v1\n' +
        '{"baseVersion":3,"clientTime":"2026-11-23T08:00:00.000Z",' +
        '"data":{"allergies":[{"substance":"Penicillin"}],"phone":"+44 7700 900111"},' +
        '"deviceSeq":7,"id":"0190f5d2-7c1a-7000-8000-0000000000bb",' +
        '"mutationId":"0190f5d2-7c1a-7000-8000-000000000001","op":"update","table":"patients",' +
        '"userId":"0190f5d2-7c1a-7000-8000-00000000aaaa"}',
    );
  });

  it('orders members by UTF-16 code units, not by code points', () => {
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FF5A.
    expect(canonicalJson({ ｚ: 6, '😀': 5, é: 4, b: 1, a: 2, B: 3 })).toBe(
      '{"B":3,"a":2,"b":1,"é":4,"😀":5,"ｚ":6}',
    );
  });

  it('of an audit event: hashed without its signature, signed with its hash', () => {
    const unhashed = {
      id: '0190f5d2-7c1a-7000-8000-000000000002',
      deviceSeq: 1,
      at: '2026-11-23T08:00:00.000Z',
      userId: '0190f5d2-7c1a-7000-8000-00000000aaaa',
      action: 'chart.read',
      entity: 'patients',
      entityId: '0190f5d2-7c1a-7000-8000-0000000000bb',
      prevHash: GENESIS_HASH,
    };
    const event: AuditEvent = { ...unhashed, hash: hashAuditEvent(unhashed) };
    expect(hashAuditEvent({ ...event, signature: 'x' } as AuditEvent)).toBe(event.hash);
    expect(auditSigningText({ ...event, signature: 'x' })).toBe(
      `wardline-audit-v1\n${canonicalJson(event)}`,
    );
    expect(auditSigningText(event)).toContain(`"hash":"${event.hash}"`);
  });

  it('of a read: method, path with query as sent, and time, on their own lines', () => {
    expect(requestSigningText('get', '/v1/emr/global/abc?x=1', '2026-11-23T08:00:00.000Z')).toBe(
      'wardline-request-v1\nGET\n/v1/emr/global/abc?x=1\n2026-11-23T08:00:00.000Z',
    );
  });
});

describe('Ed25519 as the protocol uses it', () => {
  // RFC 8032, section 7.1, test 1: keys as raw bytes in base64url, signature of the empty message.
  const seed = Buffer.from(
    '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    'hex',
  ).toString('base64url');
  const publicKey = Buffer.from(
    'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    'hex',
  ).toString('base64url');

  it('signs and verifies with raw 32-byte keys in base64url, 64-byte signatures', () => {
    const privateKey = createPrivateKey({
      key: { kty: 'OKP', crv: 'Ed25519', d: seed, x: publicKey },
      format: 'jwk',
    });
    const signature = sign(null, Buffer.alloc(0), privateKey);
    expect(signature.toString('hex')).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
    expect(publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(signature.toString('base64url')).toMatch(/^[A-Za-z0-9_-]{86}$/);
    const verifier = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: publicKey },
      format: 'jwk',
    });
    expect(verify(null, Buffer.alloc(0), verifier, signature)).toBe(true);
    expect(verify(null, Buffer.from('x'), verifier, signature)).toBe(false);
  });
});

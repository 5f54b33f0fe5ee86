/**
 * The single write path: one transaction per write with row + outbox mutation + chained audit
 * event; a failure at any point keeps none of them; an edited audit event is named.
 */
import { createPublicKey, verify } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, count, eq } from 'drizzle-orm';
import { auditLogs, outbox, vitals } from '../../../db/local/schema';
import { demoUserId } from '../../../db/seed/demo-data';
import { newSigningKey } from '../../../main/auth/signing-keys';
import { toAuditEvent, verifyDeviceAuditChain } from '../../../main/services/audit';
import { outboxMutation } from '../../../main/sync/outbox-mutation';
import { auditSigningText, mutationSigningText } from '../../../shared/authorship';
import { writeClinical } from '../../../main/services/write-path';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { stableId } from '../../../shared/reference-data';
import { createTestWorkstation, START, writeTrail, type TestWorkstation } from './support';

const visit1 = stableId('visit', 'NGH/1');
const patient1 = stableId('patient', 'NGH/1');
const nurseId = demoUserId('nurse@hass.example');
const nurseSigner = newSigningKey(nurseId).signer;

const verifies = (publicKey: string, text: string, signature: string) =>
  verify(
    null,
    Buffer.from(text, 'utf8'),
    createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' }),
    Buffer.from(signature, 'base64url'),
  );

describe('the write path', () => {
  let ws: TestWorkstation;
  beforeEach(() => {
    ws = createTestWorkstation();
    ws.signInAs('nurse');
  });
  afterEach(() => {
    ws.close();
  });

  it('writes row, outbox mutation and audit event together, with increasing device sequence', async () => {
    const first = await ws.caller.vitals.record({ visitId: visit1, heartRate: 72 });
    const second = await ws.caller.vitals.record({ visitId: visit1, heartRate: 75 });
    const mutations = ws.replica.db.select().from(outbox).orderBy(asc(outbox.deviceSeq)).all();
    expect(mutations.map((m) => m.rowId)).toEqual([first.id, second.id]);
    const [a, b] = mutations;
    expect(a && b && b.deviceSeq > a.deviceSeq).toBe(true);
    expect(a).toMatchObject({
      userId: nurseId,
      tableName: 'vitals',
      op: 'insert',
      baseVersion: null,
      clientTime: '2026-11-23T08:00:00.000Z',
    });
    expect(a?.mutationId).toMatch(/^[0-9a-f-]{8}-[0-9a-f]{4}-7/);
    const events = ws.replica.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.entityId, first.id))
      .all();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'vitals.record', entity: 'vitals', userId: nurseId });
    expect(verifyDeviceAuditChain(ws.replica.db)).toEqual([]);
  });

  it('signs every mutation and audit event in its own transaction, exactly as it will be sent', async () => {
    const signer = ws.workstation.sessions.signer();
    if (!signer) throw new Error('the nurse has no key');
    await ws.caller.vitals.record({ visitId: visit1, heartRate: 72 });
    await ws.caller.vitals.record({ visitId: visit1, heartRate: 73 });
    const rows = ws.replica.db.select().from(outbox).orderBy(asc(outbox.deviceSeq)).all();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const sent = outboxMutation(row);
      const signature = sent.signature ?? '';
      expect(signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
      expect(verifies(signer.publicKey, mutationSigningText(sent), signature)).toBe(true);
      // The number is signed too: the same change under another number is not what she signed.
      const renumbered = { ...sent, deviceSeq: sent.deviceSeq + 1 };
      expect(verifies(signer.publicKey, mutationSigningText(renumbered), signature)).toBe(false);
    }
    const events = ws.replica.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.userId, nurseId))
      .all();
    expect(events.length).toBeGreaterThanOrEqual(2);
    for (const event of events.map(toAuditEvent))
      expect(verifies(signer.publicKey, auditSigningText(event), event.signature ?? '')).toBe(true);
    expect(verifyDeviceAuditChain(ws.replica.db)).toEqual([]);
  });

  it('keeps nothing when the write fails after the row was written', () => {
    const before = writeTrail(ws);
    const rows = ws.replica.db.select({ n: count() }).from(vitals).get()?.n;
    expect(() =>
      writeClinical(
        {
          db: ws.replica.db,
          clock: ws.clock,
          actor: { userId: nurseId, hospitalId: DEMO_HOSPITAL_ID, signer: nurseSigner },
        },
        (batch) => {
          batch.insert(vitals, {
            visitId: visit1,
            patientId: patient1,
            recordedAt: batch.now,
            heartRate: 80,
            abnormal: [],
            recordedBy: nurseId,
          });
          throw new Error('power cut between statements');
        },
      ),
    ).toThrow('power cut');
    expect(writeTrail(ws)).toEqual(before);
    expect(ws.replica.db.select({ n: count() }).from(vitals).get()?.n).toBe(rows);
  });

  it('withdraws a row only once the server refused its insert: audited, with no outbox mutation', () => {
    const context = {
      db: ws.replica.db,
      clock: ws.clock,
      actor: { userId: nurseId, hospitalId: DEMO_HOSPITAL_ID, signer: nurseSigner },
    };
    const entry = writeClinical(context, (batch) =>
      batch.insert(vitals, {
        visitId: visit1,
        patientId: patient1,
        recordedAt: batch.now,
        heartRate: 80,
        abnormal: [],
        recordedBy: nurseId,
      }),
    );
    const insert = ws.replica.db.select().from(outbox).where(eq(outbox.rowId, entry.id)).get();
    if (!insert) throw new Error('no outbox mutation');
    const withdraw = () => {
      writeClinical(context, (batch) => {
        batch.withdrawRefusedInsert(vitals, entry.id, insert.mutationId);
      });
    };
    // While the insert waits to be sent the server may still take it: nothing to withdraw yet.
    expect(withdraw).toThrow(/has no refused insert/);
    // What push records when the server refuses it.
    ws.replica.db
      .update(outbox)
      .set({ status: 'rejected', reasonCode: 'forbidden' })
      .where(eq(outbox.mutationId, insert.mutationId))
      .run();
    const before = writeTrail(ws);
    withdraw();
    const row = ws.replica.db.select().from(vitals).where(eq(vitals.id, entry.id)).get();
    expect(row?.deletedAt).toBe(START.toISOString());
    expect(writeTrail(ws)).toEqual({ outbox: before.outbox, audit: before.audit + 1 });
    const event = ws.replica.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.action, 'sync.withdraw_refused_insert'))
      .get();
    expect(event).toMatchObject({
      entity: 'vitals',
      entityId: entry.id,
      userId: nurseId,
      before: { fields: ['deletedAt'] },
      after: {
        outcome: 'done',
        patientId: patient1,
        fields: ['deletedAt'],
        details: { mutationId: insert.mutationId },
      },
    });
    expect(verifyDeviceAuditChain(ws.replica.db)).toEqual([]);
  });

  it('audits every chart read', async () => {
    await ws.caller.chart.open({ patientId: patient1 });
    const reads = ws.replica.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.action, 'chart.read'))
      .all();
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({
      entityId: patient1,
      userId: nurseId,
      after: { role: 'nurse', outcome: 'done', patientId: patient1, details: { visitId: visit1 } },
    });
  });

  it('commits a chart read without its own fsync and leaves clinical writes at synchronous=FULL', async () => {
    const synchronous = () => ws.replica.db.$client.pragma('synchronous', { simple: true });
    const FULL = 2;
    expect(synchronous()).toBe(FULL);
    await ws.caller.chart.open({ patientId: patient1 });
    expect(synchronous()).toBe(FULL);
    await expect(
      ws.caller.chart.open({ patientId: '0193a6f0-0000-7000-8000-00000000dead' }),
    ).rejects.toThrow();
    expect(synchronous()).toBe(FULL);
    await ws.caller.vitals.record({ visitId: visit1, heartRate: 72 });
    expect(synchronous()).toBe(FULL);
  });

  it('names the audit event somebody edited', async () => {
    await ws.caller.vitals.record({ visitId: visit1, heartRate: 72 });
    const entry = await ws.caller.vitals.record({ visitId: visit1, heartRate: 140 });
    await ws.caller.vitals.record({ visitId: visit1, heartRate: 74 });
    const target = ws.replica.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.entityId, entry.id))
      .get();
    if (!target) throw new Error('no audit event');
    // Someone tries to hide the entry by rewriting or removing its event: the replica refuses.
    const sqlite = ws.replica.db.$client;
    const rewrite = () =>
      sqlite
        .prepare(
          "update audit_logs set after = json_set(after, '$.outcome', 'refused') where id = ?",
        )
        .run(target.id);
    expect(rewrite).toThrow(/append-only/);
    expect(() => sqlite.prepare('delete from audit_logs where id = ?').run(target.id)).toThrow(
      /append-only/,
    );
    // With the file in hand and the trigger dropped, the edit still shows in the chain.
    sqlite.exec('drop trigger audit_logs_no_update');
    rewrite();
    ws.signInAs('manager');
    const verdict = await ws.caller.audit.verify();
    expect(verdict.intact).toBe(false);
    expect(verdict.findings).toEqual([
      { eventId: target.id, deviceSeq: target.deviceSeq, issue: 'hash_mismatch' },
    ]);
  });
});

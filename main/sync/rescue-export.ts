/**
 * Writing a workstation's rescue file (docs/SYNC.md "A rescue file"): what it has not sent, for
 * IT to replay from another workstation when this one cannot send it itself (its enrollment was
 * revoked, or it is being retired). Revoked or not, offline or not: sealing needs only the
 * public key in the machine config.
 *
 * The file holds the outbox's pending mutations exactly as their authors signed and numbered
 * them, and every audit event the server has not acknowledged: the server checks both as this
 * device's (its signing keys, its numbering, its chain), so nothing is re-signed or renumbered.
 * The export is itself an audit event, appended before the events are read so that the file
 * carries it: the server learns of the export when the file is replayed. Changes the server
 * refused (status `rejected`) were answered and wait for a person here; they are not in the file.
 *
 * Nothing is removed or marked: the outbox and the chain stay as they were, and this workstation
 * still sends them itself if it is enrolled again (the server then answers `duplicate` for
 * whatever the replay already delivered, and the replay likewise for what it sent).
 */
import { existsSync, readFileSync } from 'node:fs';
import { asc, count, eq, gt } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { auditLogs, outbox } from '../../db/local/schema';
import type { Signer } from '../auth/signer';
import { refuse } from '../errors';
import { appendAuditEvent, auditPushedThrough, toAuditEvent } from '../services/audit';
import { outboxMutation } from './outbox-mutation';
import { rescueKeyFingerprint, sealRescueFile, type RescueContents } from './rescue-file';
import { readSyncState } from './sync-state';

export interface RescueExport {
  /** The file's bytes: nothing in them is readable without IT's private key. */
  bytes: Buffer;
  deviceId: string;
  mutations: number;
  events: number;
  /** Changes the server refused, kept here for a person: not in the file. */
  refusedKept: number;
  /** Which key opens the file (sha256 of the public key, hex). */
  sealedTo: string;
}

/** Who exports: a signed-in administrator (their event is signed), or IT's CLI (no person). */
export interface RescueExporter {
  userId: string | null;
  role: string | null;
  signer: Signer | null;
}

/** The PEM of the config's `rescueKeyFile`, or null when the config names none. */
export function readRescuePublicKey(file: string | null): string | null {
  if (file === null) return null;
  if (!existsSync(file))
    refuse(
      'rescue_key_not_configured',
      `The rescue key named in this workstation's configuration (${file}) is not there: IT puts the rescue public key at that place, then exports again.`,
      'invalid',
    );
  return readFileSync(file, 'utf8');
}

/** The name a rescue file is saved under: which workstation, and when. */
export function rescueFileName(deviceId: string, at: Date): string {
  return `wardline-rescue-${deviceId}-${at.toISOString().replace(/[:.]/g, '-')}.json`;
}

export function exportRescueFile(
  db: LocalDb,
  options: { publicKeyPem: string | null; exporter: RescueExporter; now: Date },
): RescueExport {
  if (options.publicKeyPem === null)
    refuse(
      'rescue_key_not_configured',
      'No rescue key is configured on this workstation: IT adds `rescueKeyFile` (an RSA public key) to its configuration file, then exports again.',
      'invalid',
    );
  const publicKeyPem = options.publicKeyPem;
  // Refused before anything is written: an export that cannot be sealed leaves no trace.
  const sealedTo = rescueKeyFingerprint(publicKeyPem);
  const state = readSyncState(db);
  const { deviceId, hospitalId } = state;
  if (deviceId === null || hospitalId === null)
    refuse(
      'not_enrolled',
      'This workstation was never enrolled: nothing it holds could be replayed as its own on the server.',
      'invalid',
    );
  const contents = db.transaction((): RescueContents => {
    const mutations = db
      .select()
      .from(outbox)
      .where(eq(outbox.status, 'pending'))
      .orderBy(asc(outbox.deviceSeq))
      .all()
      .map(outboxMutation);
    appendAuditEvent(
      db,
      {
        action: 'rescue.export',
        entity: 'devices',
        entityId: deviceId,
        details: { mutations: mutations.length, sealedTo: sealedTo.slice(0, 16) },
        userId: options.exporter.userId,
        role: options.exporter.role,
        at: options.now.toISOString(),
      },
      options.exporter.signer,
    );
    const events = db
      .select()
      .from(auditLogs)
      .where(gt(auditLogs.deviceSeq, auditPushedThrough(db)))
      .orderBy(asc(auditLogs.deviceSeq))
      .all()
      .map(toAuditEvent);
    return { deviceId, hospitalId, exportedAt: options.now.toISOString(), mutations, events };
  });
  const refusedKept =
    db.select({ n: count() }).from(outbox).where(eq(outbox.status, 'rejected')).get()?.n ?? 0;
  return {
    bytes: sealRescueFile(contents, publicKeyPem),
    deviceId,
    mutations: contents.mutations.length,
    events: contents.events.length,
    refusedKept,
    sealedTo,
  };
}

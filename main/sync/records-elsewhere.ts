/**
 * "Records from other facilities": a patient's global EMR, read from the server by the person at
 * the chart, online only. The read is signed by them (SYNC-PROTOCOL.md "Authorship") and the
 * server audits it; it is also a read of patient data on this workstation, so it joins the
 * device's audit chain like a chart read.
 */
import { eq } from 'drizzle-orm';
import { hospitals } from '../../db/local/schema';
import type { GlobalEmr } from '../../shared/protocol';
import { refuse } from '../errors';
import { auditRead, type WriteContext } from '../services/write-path';
import type { SyncTransport } from './transport';
import { TransportError } from './transport';

export interface RecordElsewhere {
  visitId: string;
  sourceHospitalId: string;
  /** The hospital's name when this workstation knows it (its own hospital); null otherwise. */
  sourceHospitalName: string | null;
  admittedAt: string;
  dischargedAt: string | null;
  record: Record<string, unknown>;
}

export type RecordsElsewhere =
  { state: 'answered'; entries: RecordElsewhere[] } | { state: 'offline'; message: string };

const OFFLINE =
  'Records from other facilities are read from the central server, which cannot be reached right now. They can be read again once this workstation is online.';

export async function readRecordsElsewhere(
  context: WriteContext,
  transport: SyncTransport | null,
  patientId: string,
): Promise<RecordsElsewhere> {
  if (!transport) return { state: 'offline', message: OFFLINE };
  const signer = context.actor.signer;
  if (!signer)
    refuse(
      'signing_key_missing',
      'Records from other facilities are read in your name, with the key this workstation makes when you sign in online. Sign out and sign in again while the server can be reached.',
      'forbidden',
    );
  let emr: GlobalEmr;
  try {
    emr = await transport.globalEmr(patientId, signer);
  } catch (error) {
    if (!(error instanceof TransportError)) throw error;
    if (error.kind === 'unreachable') return { state: 'offline', message: OFFLINE };
    // No promoted stay anywhere, and not a patient of this hospital on the server (yet).
    if (error.kind === 'not_found') emr = { patientId, entries: [] };
    else if (error.kind === 'forbidden' || error.kind === 'unauthorized')
      refuse('forbidden', `The server refused this read: ${error.message}`, 'forbidden');
    else refuse('server_unreachable', `The server could not answer: ${error.message}`);
  }
  auditRead(context, {
    action: 'emr_global.read',
    entity: 'patients',
    entityId: patientId,
    patientId,
    details: { entries: emr.entries.length },
  });
  const names = new Map(
    context.db
      .select({ id: hospitals.id, name: hospitals.name })
      .from(hospitals)
      .where(eq(hospitals.id, context.actor.hospitalId))
      .all()
      .map((hospital) => [hospital.id, hospital.name]),
  );
  return {
    state: 'answered',
    entries: emr.entries.map((entry) => ({
      ...entry,
      sourceHospitalName: names.get(entry.sourceHospitalId) ?? null,
    })),
  };
}

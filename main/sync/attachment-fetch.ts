/**
 * Opening an attachment: from this workstation's replica when it holds the file, else from the
 * server in the name of the person opening it (a signed, recorded read), checked against its
 * sha256 and kept for the stay (main/services/attachment-store.ts). Either way the opening is a
 * read of patient data, in the device's audit chain.
 */
import { z } from 'zod';
import type { LocalDb } from '../../db/local/open';
import { attachments } from '../../db/local/schema';
import { detectMediaType } from '../../shared/attachment-types';
import { IdSchema } from '../../shared/schemas/common';
import { refuse } from '../errors';
import { readAttachmentFile, sha256Of, storeAttachmentFile } from '../services/attachment-store';
import { parseInput } from '../services/validate';
import { auditRead, findById, type WriteContext } from '../services/write-path';
import { TransportError, type SyncTransport } from './transport';

export const OpenAttachmentInput = z.object({ attachmentId: IdSchema });

export interface OpenedAttachment {
  id: string;
  fileName: string;
  mediaType: string;
  byteSize: number;
  /** Where the bytes came from this time. */
  source: 'this_workstation' | 'server';
  contentBase64: string;
}

const OFFLINE =
  'This file was attached on another workstation and is not on this one yet; it is fetched from the central server, which cannot be reached right now. Try again once this workstation is online.';

export async function openAttachment(
  context: WriteContext & { db: LocalDb },
  transport: SyncTransport | null,
  input: z.input<typeof OpenAttachmentInput>,
): Promise<OpenedAttachment> {
  const { attachmentId } = parseInput(OpenAttachmentInput, input);
  const row = findById(context.db, attachments, attachmentId);
  if (!row || row.deletedAt !== null)
    refuse('not_found', 'That attachment does not exist on this workstation.', 'not_found');
  let bytes = readAttachmentFile(context.db, row.sha256);
  const source = bytes ? 'this_workstation' : 'server';
  if (!bytes) {
    bytes = await fetchFromServer(context, transport, row.sha256);
    storeAttachmentFile(
      context.db,
      { sha256: row.sha256, mediaType: row.mediaType, bytes, state: 'fetched' },
      context.clock.now().toISOString(),
    );
  }
  auditRead(context, {
    action: 'attachment.open',
    entity: 'attachments',
    entityId: row.id,
    patientId: row.patientId,
    details: { source },
  });
  return {
    id: row.id,
    fileName: row.fileName,
    mediaType: row.mediaType,
    byteSize: row.byteSize,
    source,
    contentBase64: bytes.toString('base64'),
  };
}

async function fetchFromServer(
  context: WriteContext,
  transport: SyncTransport | null,
  sha256: string,
): Promise<Buffer> {
  if (!transport) refuse('attachment_unavailable', OFFLINE);
  const signer = context.actor.signer;
  if (!signer)
    refuse(
      'signing_key_missing',
      'Files from other workstations are read in your name, with the key this workstation makes when you sign in online. Sign out and sign in again while the server can be reached.',
      'forbidden',
    );
  let bytes: Buffer;
  try {
    bytes = await transport.downloadAttachment(sha256, signer);
  } catch (error) {
    if (!(error instanceof TransportError)) throw error;
    if (error.kind === 'unreachable') refuse('attachment_unavailable', OFFLINE);
    if (error.kind === 'not_found') refuse('attachment_not_on_server', error.message, 'not_found');
    if (error.kind === 'forbidden' || error.kind === 'unauthorized')
      refuse('forbidden', `The server refused this read: ${error.message}`, 'forbidden');
    refuse('server_unreachable', `The server could not answer: ${error.message}`);
  }
  // What arrived must be the file the record names, byte for byte.
  if (sha256Of(bytes) !== sha256 || !detectMediaType(bytes))
    refuse(
      'attachment_unavailable',
      'The file that came from the server does not match the one attached; nothing was kept. Try again; if it happens again, tell IT.',
    );
  return bytes;
}

/**
 * Sends the files attached on this workstation to the server (docs/SYNC.md "Attachments"). Each
 * file starts where the server says it stands, and the server keeps what arrives step by step,
 * so a connection cut in the middle costs at most the step in flight; a file the server already
 * holds (attached elsewhere,
 * or before) is not sent at all. A file the server refuses stays here with the reason, and the
 * others go on; a server that does not answer ends the run like any other phase.
 */
import type { LocalDb } from '../../db/local/open';
import type { AttachmentMediaType } from '../../shared/attachment-types';
import {
  attachmentBytesFrom,
  filesToUpload,
  markAttachmentFile,
  releaseFinishedStayFiles,
} from '../services/attachment-store';
import { serverAnswered, TransportError, type SyncTransport } from './transport';

export interface AttachmentUploadResult {
  uploaded: number;
  /** Bytes sent in this run (a resumed file counts only what was still missing). */
  sentBytes: number;
}

export async function uploadAttachments(
  db: LocalDb,
  transport: SyncTransport,
): Promise<AttachmentUploadResult> {
  const result: AttachmentUploadResult = { uploaded: 0, sentBytes: 0 };
  for (const file of filesToUpload(db)) {
    try {
      result.sentBytes += await uploadOne(db, transport, file);
      markAttachmentFile(db, file.sha256, { state: 'uploaded', lastError: null });
      result.uploaded += 1;
    } catch (error) {
      if (!(error instanceof TransportError) || !serverAnswered(error)) throw error;
      if (error.kind === 'unauthorized' || error.kind === 'server_error') throw error;
      markAttachmentFile(db, file.sha256, { lastError: error.message });
    }
  }
  releaseFinishedStayFiles(db);
  return result;
}

async function uploadOne(
  db: LocalDb,
  transport: SyncTransport,
  file: { sha256: string; byteSize: number; mediaType: string },
): Promise<number> {
  const state = await transport.attachmentUploadState(file.sha256);
  if (state?.complete) return 0;
  let received = state?.receivedBytes ?? 0;
  let sent = 0;
  for (;;) {
    // The rest of the file in one request, read from the replica as it is sent: the server
    // keeps it step by step as it arrives (ATTACHMENT_STEP_BYTES), so a cut costs at most a
    // step, without a round trip per step.
    const length = file.byteSize - received;
    const next = await transport.uploadAttachmentPiece(
      file.sha256,
      { offset: received, size: file.byteSize, type: file.mediaType as AttachmentMediaType },
      { byteLength: length, parts: attachmentBytesFrom(db, file.sha256, received) },
    );
    sent += next.receivedBytes > received ? next.receivedBytes - received : 0;
    if (next.complete) return sent;
    if (next.receivedBytes === received && length > 0 && next.receivedBytes < file.byteSize)
      throw new TransportError('bad_answer', 'The server took none of an attachment piece.');
    received = next.receivedBytes;
  }
}

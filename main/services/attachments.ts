/**
 * Lab reports and images attached to a lab test or an EMR entry (issue 17). The file is checked
 * by its content and size before anything is written: a refused file changes nothing. Its bytes
 * are kept in the encrypted replica (attachment-store.ts) and sent by the sync engine
 * (main/sync/attachment-upload.ts); the `attachments` row travels like any synced row.
 */
import { z } from 'zod';
import type { LocalDb } from '../../db/local/open';
import { attachments } from '../../db/local/schema';
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_TYPE_REFUSAL,
  attachmentTooLarge,
  detectMediaType,
} from '../../shared/attachment-types';
import { IdSchema, textField } from '../../shared/schemas/common';
import { refuse } from '../errors';
import { sha256Of, storeAttachmentFile } from './attachment-store';
import { parseInput } from './validate';
import { loadVisit, requireAdmitted } from './visits';
import { writeClinical, type WriteContext } from './write-path';

// Base64 of a file a little over the limit still parses, so its refusal can say its size.
const MAX_BASE64 = Math.ceil(((ATTACHMENT_MAX_BYTES + 1024 * 1024) * 4) / 3);

export const AttachFileInput = z
  .object({
    labTestId: IdSchema.optional(),
    emrLocalId: IdSchema.optional(),
    fileName: textField(255),
    contentBase64: z.string().max(MAX_BASE64, 'This file is larger than 20 MB'),
  })
  .refine((input) => (input.labTestId === undefined) !== (input.emrLocalId === undefined), {
    message: 'Attach the file to one lab test or one EMR entry',
  });
export type AttachFileInput = z.input<typeof AttachFileInput>;

export type AttachmentRow = typeof attachments.$inferSelect;

/** Where the file belongs: the lab test or EMR entry, and through it the patient and the stay. */
function targetOf(context: WriteContext, input: z.output<typeof AttachFileInput>) {
  if (input.labTestId) {
    const test = context.db.query.labTests
      .findFirst({
        where: (t, { eq }) => eq(t.id, input.labTestId ?? ''),
      })
      .sync();
    if (!test || test.deletedAt !== null)
      refuse('not_found', 'That lab test does not exist on this workstation.', 'not_found');
    return {
      patientId: test.patientId,
      visitId: test.visitId,
      labTestId: test.id,
      emrLocalId: null,
    };
  }
  const entry = context.db.query.emrLocal
    .findFirst({
      where: (t, { eq }) => eq(t.id, input.emrLocalId ?? ''),
    })
    .sync();
  if (!entry || entry.deletedAt !== null)
    refuse('not_found', 'That EMR entry does not exist on this workstation.', 'not_found');
  return {
    patientId: entry.patientId,
    visitId: entry.visitId,
    labTestId: null,
    emrLocalId: entry.id,
  };
}

export function attachFile(
  context: WriteContext & { db: LocalDb },
  input: AttachFileInput,
): AttachmentRow {
  const fields = parseInput(AttachFileInput, input);
  const bytes = Buffer.from(fields.contentBase64, 'base64');
  if (bytes.length === 0)
    refuse('attachment_empty', 'This file is empty; nothing was attached.', 'invalid');
  if (bytes.length > ATTACHMENT_MAX_BYTES)
    refuse('attachment_too_large', attachmentTooLarge(bytes.length), 'invalid');
  const mediaType = detectMediaType(bytes);
  if (!mediaType) refuse('attachment_type_refused', ATTACHMENT_TYPE_REFUSAL, 'invalid');
  const target = targetOf(context, fields);
  // A lab report may come back after the patient went home; the EMR record closes at discharge.
  if (target.emrLocalId && target.visitId)
    requireAdmitted(loadVisit({ db: context.db }, target.visitId));
  const sha256 = sha256Of(bytes);
  // The bytes first, in their own transaction: if the row's write is then refused, the file
  // held under no attachment is released at the next sync (releaseFinishedStayFiles).
  storeAttachmentFile(
    context.db,
    { sha256, mediaType, bytes, state: 'to_upload' },
    context.clock.now().toISOString(),
  );
  return writeClinical(context, (batch) =>
    batch.insert(
      attachments,
      { ...target, fileName: fields.fileName, mediaType, byteSize: bytes.length, sha256 },
      { action: 'attachment.add' },
    ),
  );
}

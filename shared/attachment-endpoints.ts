/**
 * The attachment endpoints: a Wardline extension to SYNC-PROTOCOL.md (which defines no
 * attachments), described in docs/SYNC.md "Attachments". They carry bytes, not JSON, so they are
 * declared here beside shared/endpoints.ts rather than in it; the server's routes
 * (server/attachments/routes.ts) and the workstation's transport (main/sync/transport.ts) both
 * build their paths from these.
 */
import { z } from 'zod';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_MEDIA_TYPES } from './catalog/records';

export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in lowercase hex');

export const ATTACHMENT_PATHS = {
  /** GET (device): how much of a file the server holds. PUT (device): one piece of it. */
  upload: '/v1/attachments/:sha256/upload',
  /** GET (person, signed, `attachments:read`): the whole file. */
  file: '/v1/attachments/:sha256',
} as const;

export const attachmentPath = (path: string, sha256: string) =>
  path.replace(':sha256', encodeURIComponent(sha256));

export const AttachmentParamsSchema = z.object({ sha256: Sha256Schema });

export const UploadPieceQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).max(ATTACHMENT_MAX_BYTES),
  size: z.coerce.number().int().min(1),
  type: z.enum(ATTACHMENT_MEDIA_TYPES),
});
export type UploadPieceQuery = z.infer<typeof UploadPieceQuerySchema>;

/** Where an upload stands; `complete` once the whole file arrived and matched its sha256. */
export const UploadStateSchema = z.object({
  sha256: Sha256Schema,
  byteSize: z.number().int(),
  receivedBytes: z.number().int(),
  complete: z.boolean(),
});
export type UploadState = z.infer<typeof UploadStateSchema>;

/**
 * What a file is, told by its first bytes, never by its name (issue 17): a report renamed
 * `scan.pdf` that is really an executable is refused on the workstation and again on the server.
 */
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_MEDIA_TYPES } from './catalog/records';

export type AttachmentMediaType = (typeof ATTACHMENT_MEDIA_TYPES)[number];
export { ATTACHMENT_MAX_BYTES, ATTACHMENT_MEDIA_TYPES };

const SIGNATURES: readonly { type: AttachmentMediaType; magic: readonly number[] }[] = [
  { type: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

export function detectMediaType(head: Uint8Array): AttachmentMediaType | null {
  const found = SIGNATURES.find(({ magic }) => magic.every((byte, i) => head[i] === byte));
  return found?.type ?? null;
}

/** Megabytes as a person reads them on a refusal. */
export const describeSize = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

export const ATTACHMENT_TYPE_REFUSAL =
  'Only PDF, JPEG and PNG files can be attached, and this file is none of them (its content was checked, not its name). Save or scan the report as PDF, JPEG or PNG and attach it again.';

export function attachmentTooLarge(bytes: number): string {
  return `This file is ${describeSize(bytes)}; attachments can be at most ${describeSize(ATTACHMENT_MAX_BYTES)}. Scan at a lower resolution or split the report, then attach it again.`;
}

/**
 * How much of an upload the server keeps at a time: it commits what arrived at every step, so
 * a connection cut in the middle of a file costs at most the step in flight, while the file
 * itself goes in one request (no round trip between pieces).
 */
export const ATTACHMENT_STEP_BYTES = 8 * 1024 * 1024;

/**
 * Where an attachment file's bytes live once they arrived: a file in the server's attachments
 * folder (folder-bytes.ts, serve's default) or rows in PostgreSQL (database-bytes.ts). The
 * state of each file (size, bytes received, complete) is always in `attachment_blobs`, and each
 * store is written only inside that row's locked transaction (blob-store.ts): its committed
 * `received_bytes` are the bytes a store must hold, anything past them is a step that never
 * committed.
 */
import type { Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type pg from 'pg';
import type { BlobStoreKind } from '../../db/central/schema';

export interface BlobKey {
  hospitalId: string;
  sha256: string;
}

export interface BlobBytes {
  readonly kind: BlobStoreKind;
  /**
   * Stores a step's `parts` at offset `at`, durably before it returns, inside the blob row's
   * transaction (`client`); each part goes into `running` as it is written. False when fewer
   * than `at` bytes are held (a folder restored from an older backup, say): the file must
   * start again from its first byte.
   */
  append(
    client: pg.PoolClient,
    key: BlobKey,
    step: { at: number; parts: readonly Buffer[]; running: Hash | null },
  ): Promise<boolean>;
  /** Forgets every byte of the file (bytes that did not add up to its sha256). */
  clear(client: pg.PoolClient, key: BlobKey): Promise<void>;
  /** The file's first `byteSize` bytes in order, opened before this returns. */
  open(pool: pg.Pool | pg.PoolClient, key: BlobKey, byteSize: number): Promise<Readable>;
}

/** The stores a server process can reach: always PostgreSQL, a folder when it was given one. */
export interface BlobStores {
  /** Where a file this process starts receiving is kept. */
  readonly primary: BlobBytes;
  byKind(kind: BlobStoreKind): BlobBytes | null;
}

export function blobStores(database: BlobBytes, folder: BlobBytes | null): BlobStores {
  return {
    primary: folder ?? database,
    byKind: (kind) => (kind === 'folder' ? folder : database),
  };
}

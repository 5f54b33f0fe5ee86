/**
 * An upload piece's body, read as it arrives rather than buffered whole: the server stores the
 * first part of a piece in PostgreSQL while the rest is still on the wire (docs/SYNC.md
 * "Attachments", the bench). The body is read without pause, so the network never waits for the
 * database; what is held is at most the piece, as when it was buffered.
 */
import type { Readable } from 'node:stream';
import { ApiError } from '../http/errors';

export interface PieceStream {
  /** The next `size` bytes, fewer at the end of the body, null once it has all been taken. */
  next(size: number): Promise<Buffer | null>;
}

const CUT = 'The connection was cut before the whole piece arrived; nothing of it was kept.';

export function readPiece(body: Readable, declaredLength: number): PieceStream {
  const held: Buffer[] = [];
  let heldBytes = 0;
  let arrived = 0;
  let ended = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const waiting = wake;
    wake = null;
    waiting?.();
  };
  body.on('data', (chunk: Buffer) => {
    arrived += chunk.length;
    if (arrived > declaredLength)
      failure ??= new ApiError(400, 'invalid_request', 'This piece is longer than it declared.');
    held.push(chunk);
    heldBytes += chunk.length;
    notify();
  });
  body.on('end', () => {
    ended = true;
    if (arrived < declaredLength) failure ??= new ApiError(400, 'invalid_request', CUT);
    notify();
  });
  body.on('error', (error) => {
    failure ??= error;
    notify();
  });
  body.on('close', () => {
    if (!ended) failure ??= new ApiError(400, 'invalid_request', CUT);
    notify();
  });

  return {
    async next(size) {
      while (!failure && heldBytes < size && !ended)
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      if (failure) throw failure;
      if (heldBytes === 0) return null;
      const whole = held.length === 1 ? (held[0] ?? Buffer.alloc(0)) : Buffer.concat(held);
      const taken = whole.subarray(0, size);
      const rest = whole.subarray(size);
      held.length = 0;
      if (rest.length > 0) held.push(rest);
      heldBytes = rest.length;
      return taken;
    },
  };
}

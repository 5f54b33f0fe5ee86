/**
 * An upload's body, read as it arrives rather than buffered whole: the server stores one step of
 * it while the next is still on the wire (docs/SYNC.md "Attachments", the bench).
 * Reading starts as soon as the request does, without pause, so the network never waits
 * for a write and every byte that arrived before a cut is seen; what is held is at most the
 * upload's declared length (20 MB at most, checked before a byte is read).
 */
import type { Readable } from 'node:stream';
import { ApiError } from '../http/errors';

const CUT =
  'The connection was cut before the whole upload arrived; the server kept what it had whole and the workstation goes on from there at its next sync.';

export class UploadBody {
  private readonly held: Buffer[] = [];
  private heldBytes = 0;
  private arrived = 0;
  private ended = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(
    body: Readable,
    /** The length the request declared (content-length). */
    readonly length: number,
  ) {
    body.on('data', (chunk: Buffer) => {
      this.arrived += chunk.length;
      if (this.arrived > length)
        this.fail(new ApiError(400, 'invalid_request', 'This upload is longer than it declared.'));
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      this.notify();
    });
    body.on('end', () => {
      this.ended = true;
      if (this.arrived < length) this.fail(new ApiError(400, 'invalid_request', CUT));
      this.notify();
    });
    body.on('error', (error) => {
      this.fail(error);
    });
    body.on('close', () => {
      if (!this.ended) this.fail(new ApiError(400, 'invalid_request', CUT));
    });
  }

  private fail(error: Error) {
    this.failure ??= error;
    this.notify();
  }

  private notify() {
    const waiting = this.wake;
    this.wake = null;
    waiting?.();
  }

  /**
   * The next `size` bytes, fewer at the end of the body, null once all were taken. Bytes that
   * arrived before a cut are still handed on in whole parts, so the steps they complete are kept;
   * the part the cut fell in is not.
   */
  async next(size: number): Promise<Buffer | null> {
    while (!this.failure && this.heldBytes < size && !this.ended)
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    if (this.failure && this.heldBytes < size) throw this.failure;
    if (this.heldBytes === 0) return null;
    const whole =
      this.held.length === 1 ? (this.held[0] ?? Buffer.alloc(0)) : Buffer.concat(this.held);
    const taken = whole.subarray(0, size);
    const rest = whole.subarray(size);
    this.held.length = 0;
    if (rest.length > 0) this.held.push(rest);
    this.heldBytes = rest.length;
    return taken;
  }
}

/**
 * The rows of a `COPY ... TO STDOUT WITH (FORMAT binary)` of one bytea column, as Buffers. The
 * binary format hands a file's stored parts over byte for byte: node-pg reads bytea as hex text
 * (twice the size, decoded in JavaScript), `encode(bytes, 'base64')` costs PostgreSQL the
 * encoding, and node-pg's binary result format is no way out (pg-protocol turns every field into
 * a UTF-8 string, which corrupts bytes). Format: PostgreSQL docs, "COPY", "Binary Format".
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** What a COPY stream turned out to hold when it is not what was asked for. */
export class CopyFormatError extends Error {}

/**
 * Takes the COPY stream's chunks as they come (cut anywhere) and hands back each whole row's
 * field; the parts of a field are joined once, when its last byte arrived.
 */
export class BinaryCopyFields {
  private readonly held: Buffer[] = [];
  private heldBytes = 0;
  private headerRead = false;
  /** The length of the field being read, or null between rows. */
  private fieldLength: number | null = null;
  private finished = false;

  get ended(): boolean {
    return this.finished;
  }

  /** The fields completed by this chunk, in order. */
  push(chunk: Buffer): Buffer[] {
    if (this.finished && chunk.length > 0)
      throw new CopyFormatError('bytes after the end of a binary COPY');
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    const fields: Buffer[] = [];
    for (;;) {
      if (!this.headerRead) {
        const fixed = SIGNATURE.length + 8;
        if (this.heldBytes < fixed) return fields;
        const head = this.peek(fixed);
        if (!head.subarray(0, SIGNATURE.length).equals(SIGNATURE))
          throw new CopyFormatError('not a binary COPY');
        const extension = head.readUInt32BE(SIGNATURE.length + 4);
        if (this.heldBytes < fixed + extension) return fields;
        this.take(fixed + extension);
        this.headerRead = true;
      }
      if (this.fieldLength === null) {
        // A row: its field count (one here; -1 ends the COPY) and the field's length.
        if (this.heldBytes < 2) return fields;
        const count = this.peek(2).readInt16BE(0);
        if (count === -1) {
          this.take(2);
          this.finished = true;
          if (this.heldBytes > 0) throw new CopyFormatError('bytes after the end of a binary COPY');
          return fields;
        }
        if (count !== 1) throw new CopyFormatError(`a row of ${count} fields, one expected`);
        if (this.heldBytes < 6) return fields;
        const length = this.take(6).readInt32BE(2);
        if (length < 0) throw new CopyFormatError('a null where bytes were expected');
        this.fieldLength = length;
      }
      if (this.heldBytes < this.fieldLength) return fields;
      fields.push(this.take(this.fieldLength));
      this.fieldLength = null;
    }
  }

  /** The first `size` held bytes, left held (at least `size` are held). */
  private peek(size: number): Buffer {
    const first = this.held[0];
    if (first && first.length >= size) return first.subarray(0, size);
    return Buffer.concat(this.held, size);
  }

  /** The first `size` held bytes, taken (at least `size` are held); joined only when cut. */
  private take(size: number): Buffer {
    const parts: Buffer[] = [];
    let wanted = size;
    while (wanted > 0) {
      const first = this.held.shift();
      if (!first) throw new CopyFormatError('a binary COPY field ran past what arrived');
      if (first.length > wanted) {
        parts.push(first.subarray(0, wanted));
        this.held.unshift(first.subarray(wanted));
        wanted = 0;
      } else {
        parts.push(first);
        wanted -= first.length;
      }
    }
    this.heldBytes -= size;
    return parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts, size);
  }
}

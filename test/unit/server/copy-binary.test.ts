/**
 * The reader of PostgreSQL's binary COPY rows (server/attachments/copy-binary.ts) that streams
 * attachment parts: the bytes of each field come back whole and unchanged whichever way the
 * stream is cut, and a stream that is not a one-column binary COPY, or ends early, is refused.
 * (The real PostgreSQL side is covered by test/integration/sync/attachments.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import { expect, test } from 'vitest';
import { BinaryCopyFields, CopyFormatError } from '../../../server/attachments/copy-binary';

const int16 = (value: number) => {
  const out = Buffer.alloc(2);
  out.writeInt16BE(value);
  return out;
};
const int32 = (value: number) => {
  const out = Buffer.alloc(4);
  out.writeInt32BE(value);
  return out;
};

/** A COPY of one bytea column as PostgreSQL writes it: header (with an extension), rows, trailer. */
function binaryCopy(fields: Buffer[], extension = Buffer.from('ext!')): Buffer {
  return Buffer.concat([
    Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'),
    int32(0),
    int32(extension.length),
    extension,
    ...fields.flatMap((field) => [int16(1), int32(field.length), field]),
    int16(-1),
  ]);
}

function readCut(stream: Buffer, cuts: number[]): { fields: Buffer[]; ended: boolean } {
  const reader = new BinaryCopyFields();
  const fields: Buffer[] = [];
  let at = 0;
  for (const cut of [...cuts, stream.length]) {
    fields.push(...reader.push(stream.subarray(at, cut)));
    at = cut;
  }
  return { fields, ended: reader.ended };
}

test('each field comes back byte for byte, however the stream is cut', () => {
  const parts = [randomBytes(700), Buffer.alloc(0), randomBytes(1), randomBytes(3000)];
  const stream = binaryCopy(parts);
  const everyByte = Array.from({ length: stream.length - 1 }, (_, i) => i + 1);
  const cutsSets = [[], everyByte, [5, 19, 20, 21, 22, 23, 100, 699, 730], [stream.length - 1]];
  for (const cuts of cutsSets) {
    const read = readCut(stream, cuts);
    expect(read.ended).toBe(true);
    expect(read.fields.map((field) => field.toString('hex'))).toEqual(
      parts.map((part) => part.toString('hex')),
    );
  }
});

test('a stream that is not a one-column binary COPY is refused', () => {
  expect(() => new BinaryCopyFields().push(Buffer.from('hello, this is text\n'))).toThrow(
    CopyFormatError,
  );
  const twoColumns = Buffer.concat([
    Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'),
    int32(0),
    int32(0),
    int16(2),
  ]);
  expect(() => new BinaryCopyFields().push(twoColumns)).toThrow(/2 fields/);
  const nullField = Buffer.concat([
    Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'),
    int32(0),
    int32(0),
    int16(1),
    int32(-1),
  ]);
  expect(() => new BinaryCopyFields().push(nullField)).toThrow(/null/);
});

test('a stream cut before its trailer is not taken for the whole file', () => {
  const stream = binaryCopy([randomBytes(5000), randomBytes(5000)]);
  const read = readCut(stream.subarray(0, stream.length - 2), [4000]);
  expect(read.fields).toHaveLength(2);
  expect(read.ended).toBe(false);
  expect(() => new BinaryCopyFields().push(Buffer.concat([stream, Buffer.from([0])]))).toThrow(
    /after the end/,
  );
});

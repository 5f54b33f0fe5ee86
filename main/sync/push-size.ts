/**
 * Pushes are cut by size as well as by count (MAX_PUSH_BYTES): 500 long nurse notes overflow the
 * server's body limit, and a push the server refuses as too large would be resent unchanged.
 */

/** The first items whose JSON, as sent, fits in `bytes`: always at least one. */
export function firstWithinBytes<T>(items: T[], bytes: number, asSent: (item: T) => unknown): T[] {
  let total = 0;
  const end = items.findIndex((item, i) => {
    total += Buffer.byteLength(JSON.stringify(asSent(item))) + 1;
    return i > 0 && total > bytes;
  });
  return end === -1 ? items : items.slice(0, end);
}

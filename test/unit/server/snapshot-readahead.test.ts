/**
 * The snapshot's next page read while the workstation loads the one it has
 * (server/sync/snapshot-readahead.ts). The reads here are a table of pages in memory: what is
 * under test is which page is read when, and which one is answered. The real pages, against
 * PostgreSQL and with pushes in between, are test/integration/sync/snapshot-first-sync.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createSnapshotReadahead,
  type SnapshotPage,
} from '../../../server/sync/snapshot-readahead';
import type { SnapshotQuery } from '../../../shared/protocol';

const WARD_A = { id: 'device-a', hospitalId: 'hospital-1' };
const WARD_B = { id: 'device-b', hospitalId: 'hospital-1' };

/** Pages p0 → p1 → p2 (last), read by token; every read is recorded. */
function pagesOf(options: { failFirstReadOf?: string } = {}) {
  const reads: { device: string; token: string | null; limit: number }[] = [];
  let failed = false;
  const read = (device: { id: string }, query: SnapshotQuery): Promise<SnapshotPage> => {
    const token = query.token ?? null;
    reads.push({ device: device.id, token, limit: query.limit });
    if (token === options.failFirstReadOf && !failed) {
      failed = true;
      return Promise.reject(new Error('connection reset'));
    }
    const at = token === null ? 0 : Number(token.slice(1));
    return Promise.resolve({
      body: Buffer.from(`page ${String(at)} of ${device.id} by ${String(query.limit)}`),
      next: at < 2 ? `p${String(at + 1)}` : null,
    });
  };
  return { read, reads };
}

const query = (token?: string, limit = 100): SnapshotQuery => ({
  limit,
  ...(token ? { token } : {}),
});

afterEach(() => {
  vi.useRealTimers();
});

describe('snapshot pages read ahead', () => {
  it('reads the next page as it answers one, and answers it from there when asked', async () => {
    const pages = pagesOf();
    const readahead = createSnapshotReadahead(pages.read);
    expect(String(await readahead.page(WARD_A, query()))).toBe('page 0 of device-a by 100');
    expect(pages.reads).toEqual([
      { device: 'device-a', token: null, limit: 100 },
      { device: 'device-a', token: 'p1', limit: 100 },
    ]);
    expect(String(await readahead.page(WARD_A, query('p1')))).toBe('page 1 of device-a by 100');
    expect(String(await readahead.page(WARD_A, query('p2')))).toBe('page 2 of device-a by 100');
    // Each page read once; nothing after the last one.
    expect(pages.reads.map((read) => read.token)).toEqual([null, 'p1', 'p2']);
    expect(readahead.waiting).toBe(0);
  });

  it('reads now a page other than the one read ahead, and drops that one', async () => {
    const pages = pagesOf();
    const readahead = createSnapshotReadahead(pages.read);
    await readahead.page(WARD_A, query());
    // The workstation asks again for the page it had (a retry), or with another page size.
    expect(String(await readahead.page(WARD_A, query('p1', 50)))).toBe('page 1 of device-a by 50');
    expect(pages.reads.map((read) => [read.token, read.limit])).toEqual([
      [null, 100],
      ['p1', 100],
      ['p1', 50],
      ['p2', 50],
    ]);
    expect(readahead.waiting).toBe(1);
  });

  it('reads a page again when reading it ahead failed', async () => {
    const pages = pagesOf({ failFirstReadOf: 'p1' });
    const readahead = createSnapshotReadahead(pages.read);
    await readahead.page(WARD_A, query());
    expect(String(await readahead.page(WARD_A, query('p1')))).toBe('page 1 of device-a by 100');
    expect(pages.reads.map((read) => read.token)).toEqual([null, 'p1', 'p1', 'p2']);
  });

  it('keeps one page ahead per device, each its own', async () => {
    const pages = pagesOf();
    const readahead = createSnapshotReadahead(pages.read);
    await readahead.page(WARD_A, query());
    await readahead.page(WARD_B, query());
    expect(readahead.waiting).toBe(2);
    expect(String(await readahead.page(WARD_B, query('p1')))).toBe('page 1 of device-b by 100');
    expect(String(await readahead.page(WARD_A, query('p1')))).toBe('page 1 of device-a by 100');
    expect(pages.reads.filter((read) => read.token === 'p1')).toHaveLength(2);
  });

  it('drops a page nobody asks for (an interrupted snapshot) after a while', async () => {
    vi.useFakeTimers();
    const pages = pagesOf();
    const readahead = createSnapshotReadahead(pages.read, { keepMs: 1_000 });
    await readahead.page(WARD_A, query());
    expect(readahead.waiting).toBe(1);
    vi.advanceTimersByTime(999);
    expect(readahead.waiting).toBe(1);
    vi.advanceTimersByTime(1);
    expect(readahead.waiting).toBe(0);
    // Asked for later all the same: read then.
    expect(String(await readahead.page(WARD_A, query('p1')))).toBe('page 1 of device-a by 100');
    expect(pages.reads.filter((read) => read.token === 'p1')).toHaveLength(2);
    readahead.close();
    expect(readahead.waiting).toBe(0);
  });
});

/**
 * A snapshot's next page, read while the workstation loads the one it has: a page's token names
 * the page after it, so the server can start that page's query the moment it answers, and the
 * workstation's next request finds it ready instead of waiting for PostgreSQL. Without it the
 * server's query and the workstation's load took turns (measured at full size: the workstation
 * idle a third of the load, the server's process and PostgreSQL each busy half the time).
 *
 * Serving a page read a little earlier is what the protocol already allows: every page is its
 * own REPEATABLE READ snapshot taken after the first page's, so it shows at least what the first
 * page's cursor left out (server/sync/snapshot.ts). One page ahead per device; a page nobody asks
 * for (an interrupted snapshot, or the next request reaching another server process) is dropped
 * after `keepMs`. A read ahead that failed is simply read again when asked for.
 */
import type { SnapshotQuery } from '../../shared/protocol';

export interface SnapshotPage {
  /** The gzip-compressed page, as sent. */
  body: Buffer;
  /** The token of the page after it; null on the last. */
  next: string | null;
}

export type ReadSnapshotPage = (
  device: { id: string; hospitalId: string },
  query: SnapshotQuery,
) => Promise<SnapshotPage>;

interface Ahead {
  key: string;
  page: Promise<SnapshotPage | null>;
  timer: NodeJS.Timeout;
}

/** Long enough for a workstation to load a page of 100,000 rows on a slow disk. */
const KEEP_MS = 60_000;

export function createSnapshotReadahead(read: ReadSnapshotPage, options: { keepMs?: number } = {}) {
  const keepMs = options.keepMs ?? KEEP_MS;
  const ahead = new Map<string, Ahead>();
  const keyOf = (query: SnapshotQuery) =>
    JSON.stringify([query.token ?? null, query.limit, query.dischargedAfter ?? null]);

  const drop = (deviceId: string) => {
    const entry = ahead.get(deviceId);
    if (entry) clearTimeout(entry.timer);
    ahead.delete(deviceId);
    return entry;
  };

  const readAhead = (device: { id: string; hospitalId: string }, query: SnapshotQuery) => {
    const timer = setTimeout(() => drop(device.id), keepMs);
    timer.unref();
    ahead.set(device.id, {
      key: keyOf(query),
      page: read(device, query).catch(() => null),
      timer,
    });
  };

  return {
    /** The page asked for: the one read ahead if it is that one, else read now. */
    async page(device: { id: string; hospitalId: string }, query: SnapshotQuery): Promise<Buffer> {
      const waiting = drop(device.id);
      const early = waiting?.key === keyOf(query) ? await waiting.page : null;
      const page = early ?? (await read(device, query));
      if (page.next !== null) readAhead(device, { ...query, token: page.next });
      return page.body;
    },
    /** Pages read ahead and not yet asked for. */
    get waiting(): number {
      return ahead.size;
    },
    close(): void {
      for (const entry of ahead.values()) clearTimeout(entry.timer);
      ahead.clear();
    },
  };
}

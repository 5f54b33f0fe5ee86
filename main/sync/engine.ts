/**
 * The sync engine: one sync at a time (push, pull, audit, MRN top-up), run on a timer, right
 * after a local write and as soon as the server answers again. Online or offline is decided by
 * whether real calls get an answer, not by the OS's network flag.
 */
import { count, eq, isNull } from 'drizzle-orm';
import type { LocalDb } from '../../db/local/open';
import { outbox, syncConflicts } from '../../db/local/schema';
import { CLOCK_SKEW_WARNING_MS } from '../../shared/protocol';
import { hasUnsentBreakGlass, pushAuditEvents } from './audit-push';
import { backoffDelayMs } from './backoff';
import type { DeviceTokenStore } from './device-token';
import { refillMrnPool } from './mrn-refill';
import { uploadAttachments } from './attachment-upload';
import { pullChanges } from './pull';
import { loadSnapshot, readReplicaScope, snapshotUnderway } from './snapshot';
import { fetchStay, purgeOutOfScope, stayHeldTest } from './replica-scope';
import { countPending, pushOutbox } from './push';
import { describeSyncFailure } from './sync-failure';
import { readSyncState, updateSyncState } from './sync-state';
import {
  createSyncTransport,
  serverAnswered,
  TransportError,
  type SyncTransport,
} from './transport';

export type SyncPhase = 'idle' | 'pushing' | 'pulling' | 'auditing';

export interface SyncStatus {
  /** null until the first call has been answered or has failed. */
  online: boolean | null;
  enrolled: boolean;
  pending: number;
  conflicts: number;
  needsAttention: number;
  lastSuccessAt: string | null;
  lastError: string | null;
  clockSkewMs: number | null;
  clockSkewWarning: boolean;
  /** True after the server refused this device's token: IT must enroll it again. */
  deviceRevoked: boolean;
  activity: {
    phase: SyncPhase;
    done: number;
    total: number | null;
    firstSync: boolean;
    /** Rows per second, and the time left at that rate, while a snapshot loads. */
    ratePerSecond?: number | null;
    secondsLeft?: number | null;
  };
  /**
   * Server rows this engine's pulls have applied since it started: when it moves, lists on
   * screen (a patient search) may be out of date and are read again.
   */
  pulledChanges: number;
}

export interface SyncEngineOptions {
  db: LocalDb;
  tokens: DeviceTokenStore;
  now?: () => Date;
  /** Time between syncs while all is well. */
  intervalMs?: number;
  /** Pause after a local write before syncing, so a burst of writes goes in one push. */
  writeDebounceMs?: number;
  /** While offline, how often a cheap health call checks whether the server is back. */
  probeIntervalMs?: number;
  random?: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /**
   * How a new workstation syncs first (docs/SYNC.md "Snapshot first sync", "Scope"): a snapshot
   * of the whole hospital (`dischargedWithinDays` null) or of its scope, then pulls; the scope is
   * also kept by every pull and purge. Without it: the whole hospital by pulling alone.
   */
  replica?: {
    snapshot: boolean;
    dischargedWithinDays: number | null;
    snapshotPageRows?: number;
    /** How long an older stay fetched for a chart opened online is kept. */
    keepOpenedStayDays?: number;
  };
  /**
   * Mutations per push batch, below the protocol's MAX_PUSH_BATCH: the soak (test/soak) uses it
   * to put several batch boundaries, where a fault can fall between two durable batches, into a
   * push of a few hundred entries.
   */
  pushBatchSize?: number;
}

export interface SyncRunResult {
  ok: boolean;
  pushed: number;
  pulled: number;
  error?: string;
}

type Listener = (status: SyncStatus) => void;

/** No answer at all, or this device refused: every later phase of the run would fail alike. */
function endsTheRun(error: unknown): boolean {
  return (
    error instanceof TransportError && (!serverAnswered(error) || error.kind === 'unauthorized')
  );
}

export class SyncEngine {
  private readonly db: LocalDb;
  private readonly tokens: DeviceTokenStore;
  private readonly now: () => Date;
  private readonly intervalMs: number;
  private readonly writeDebounceMs: number;
  private readonly probeIntervalMs: number;
  private readonly random: () => number;
  private readonly listeners = new Set<Listener>();
  private running: Promise<SyncRunResult> | null = null;
  private followUp: Promise<SyncRunResult> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private started = false;
  private failures = 0;
  private online: boolean | null = null;
  private deviceRevoked = false;
  private pulledChanges = 0;
  private activity: SyncStatus['activity'] = {
    phase: 'idle',
    done: 0,
    total: null,
    firstSync: false,
  };
  private cachedTransport: { url: string; transport: SyncTransport } | null = null;

  constructor(private readonly options: SyncEngineOptions) {
    this.db = options.db;
    this.tokens = options.tokens;
    this.now = options.now ?? (() => new Date());
    this.intervalMs = options.intervalMs ?? 30_000;
    this.writeDebounceMs = options.writeDebounceMs ?? 300;
    this.probeIntervalMs = options.probeIntervalMs ?? 5_000;
    this.random = options.random ?? Math.random;
  }

  /**
   * A chart opened on a stay this replica does not hold (outside its scope): its rows are
   * fetched and kept for a while. False when it stays unheld: offline, or the server refused.
   */
  async fetchStayForChart(visitId: string): Promise<boolean> {
    if (stayHeldTest(this.db, this.now())(visitId)) return true;
    const transport = this.transport();
    if (!transport) return false;
    const keepDays = this.options.replica?.keepOpenedStayDays;
    try {
      await fetchStay(this.db, transport, visitId, {
        now: this.now(),
        ...(keepDays === undefined ? {} : { keepDays }),
      });
      this.markOnline();
      return true;
    } catch {
      return false;
    }
  }

  /** The transport for the enrolled server, or null before enrollment. */
  transport(): SyncTransport | null {
    const url = readSyncState(this.db).serverUrl;
    if (!url) return null;
    if (this.cachedTransport?.url !== url) {
      this.cachedTransport = {
        url,
        transport: createSyncTransport({
          baseUrl: url,
          deviceToken: () => this.tokens.read(),
          fetch: this.observedFetch,
          ...(this.options.timeoutMs ? { timeoutMs: this.options.timeoutMs } : {}),
        }),
      };
    }
    return this.cachedTransport.transport;
  }

  /**
   * Every call through this engine's transport (sign-in and EMR reads too) tells whether the
   * server answers: that, not the OS's network flag, is what online means. The first answer
   * after silence is a reconnect, and brings a sync.
   */
  private readonly observedFetch: typeof fetch = async (input, init) => {
    const baseFetch = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await baseFetch(input, init);
    } catch (error) {
      if (this.online !== false) {
        this.online = false;
        this.emit();
      }
      throw error;
    }
    if (this.online === false && !this.running) {
      this.markOnline();
      void this.syncNow();
    }
    return response;
  };

  start(): void {
    this.started = true;
    this.schedule(0);
  }

  stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopProbing();
    return this.running ? this.running.then(() => undefined) : Promise.resolve();
  }

  /** Called by the write path's owner after every local write. */
  notifyLocalWrite(): void {
    this.emit();
    if (this.started) this.schedule(this.writeDebounceMs);
  }

  /**
   * Runs a sync now, or, if one is running, one more right after it (a write made during a push
   * must not wait for the next timer). Everyone who asks meanwhile shares that one follow-up run;
   * two syncs never run at once.
   */
  syncNow(): Promise<SyncRunResult> {
    if (this.running) {
      this.followUp ??= this.running.then(() => {
        this.followUp = null;
        return this.syncNow();
      });
      return this.followUp;
    }
    const run = this.runOnce().finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  status(): SyncStatus {
    const state = readSyncState(this.db);
    const skew = state.clockSkewMs;
    return {
      online: this.online,
      enrolled: state.deviceId !== null && this.tokens.read() !== null,
      pending: countPending(this.db),
      conflicts: this.count(syncConflicts, isNull(syncConflicts.resolvedAt)),
      needsAttention: this.count(outbox, eq(outbox.status, 'rejected')),
      lastSuccessAt: state.lastSuccessAt,
      lastError: state.lastError,
      clockSkewMs: skew,
      clockSkewWarning: skew !== null && Math.abs(skew) > CLOCK_SKEW_WARNING_MS,
      deviceRevoked: this.deviceRevoked || state.deviceRevokedAt !== null,
      activity: { ...this.activity },
      pulledChanges: this.pulledChanges,
    };
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private count(table: typeof outbox | typeof syncConflicts, where: ReturnType<typeof eq>): number {
    return this.db.select({ n: count() }).from(table).where(where).get()?.n ?? 0;
  }

  private async runOnce(): Promise<SyncRunResult> {
    const transport = this.transport();
    if (!transport || this.tokens.read() === null) {
      return { ok: false, pushed: 0, pulled: 0, error: 'This workstation is not enrolled yet.' };
    }
    const firstSync = readSyncState(this.db).pullCursor === null;
    const failures: unknown[] = [];
    // Each phase fails on its own (issue 14): a refused audit push must not stop the MRN top-up,
    // nor a failed push the pull. Only a server that does not answer, or refuses this device,
    // ends the run: every later phase would fail the same way.
    const phase = async <T>(run: () => Promise<T>): Promise<T | null> => {
      if (failures.some(endsTheRun)) return null;
      try {
        return await run();
      } catch (error) {
        failures.push(error);
        return null;
      }
    };
    try {
      // A break-glass goes out before anything else (issue 15); the later audit phase sends the
      // rest of the trail as usual.
      if (hasUnsentBreakGlass(this.db)) {
        this.setActivity({ phase: 'auditing', done: 0, total: null, firstSync });
        await phase(() => pushAuditEvents(this.db, transport, { now: this.now }));
      }
      this.setActivity({ phase: 'pushing', done: 0, total: countPending(this.db), firstSync });
      const pushed = await phase(() =>
        pushOutbox(this.db, transport, {
          now: this.now,
          ...(this.options.pushBatchSize ? { batchSize: this.options.pushBatchSize } : {}),
          onBatch: (done, remaining) => {
            this.markOnline();
            this.setActivity({ phase: 'pushing', done, total: done + remaining, firstSync });
          },
        }),
      );
      // After the rows, so the server knows the attachments before their files arrive.
      await phase(() => uploadAttachments(this.db, transport));
      this.setActivity({ phase: 'pulling', done: 0, total: null, firstSync });
      const replica = this.options.replica;
      let snapshotRows = 0;
      let snapshotLoaded = true;
      if (replica?.snapshot && (firstSync || snapshotUnderway(this.db))) {
        const loaded = await phase(() =>
          loadSnapshot(this.db, transport, {
            dischargedWithinDays: replica.dischargedWithinDays,
            now: this.now,
            ...(replica.snapshotPageRows ? { pageRows: replica.snapshotPageRows } : {}),
            onPage: (progress) => {
              this.markOnline();
              this.setActivity({
                phase: 'pulling',
                done: progress.rows,
                total: progress.total,
                firstSync,
                ratePerSecond: progress.ratePerSecond,
                secondsLeft: progress.secondsLeft,
              });
            },
          }),
        );
        snapshotRows = loaded?.rows ?? 0;
        snapshotLoaded = loaded !== null;
      }
      // A snapshot that did not finish resumes at the next sync; pulling before it would start
      // the feed from its beginning.
      const pulled = !snapshotLoaded
        ? null
        : await phase(() =>
            pullChanges(this.db, transport, {
              now: this.now,
              // An expired cursor (docs/SYNC.md "Feed retention") is answered by a snapshot of the
              // scope this replica already holds (none recorded: enrolled holding the whole hospital).
              ...(replica?.snapshot
                ? {
                    snapshot: {
                      dischargedWithinDays: readReplicaScope(this.db)?.dischargedWithinDays ?? null,
                      now: this.now,
                      ...(replica.snapshotPageRows ? { pageRows: replica.snapshotPageRows } : {}),
                    },
                  }
                : {}),
              onPage: ({ applied, hasMore }) => {
                this.markOnline();
                this.setActivity({
                  phase: 'pulling',
                  done: snapshotRows + applied,
                  total: hasMore ? null : snapshotRows + applied,
                  firstSync,
                });
              },
            }),
          );
      this.pulledChanges += pulled?.applied ?? 0;
      // What left the scope goes once the pull has brought the latest discharges.
      if (pulled !== null && replica?.dischargedWithinDays != null) {
        await phase(() => Promise.resolve(purgeOutOfScope(this.db, this.now())));
      }
      this.setActivity({ phase: 'auditing', done: 0, total: null, firstSync });
      await phase(() => pushAuditEvents(this.db, transport, { now: this.now }));
      await phase(() => refillMrnPool(this.db, transport));
      const counts = { pushed: pushed?.sent ?? 0, pulled: pulled?.applied ?? 0 };
      const [failure] = failures;
      if (failure !== undefined) return { ...this.recordFailure(failure), ...counts };
      updateSyncState(this.db, {
        lastSuccessAt: this.now().toISOString(),
        lastError: null,
        deviceRevokedAt: null,
      });
      this.failures = 0;
      this.markOnline();
      this.schedule(this.intervalMs);
      return { ok: true, ...counts };
    } finally {
      this.setActivity({ phase: 'idle', done: 0, total: null, firstSync: false });
    }
  }

  private recordFailure(error: unknown): SyncRunResult {
    const message = describeSyncFailure(error);
    const revoked = error instanceof TransportError && error.kind === 'unauthorized';
    if (error instanceof TransportError) {
      // A refused certificate or a plain-http address: nothing was sent, so not online either.
      this.online = serverAnswered(error);
      if (revoked) this.deviceRevoked = true;
      // Backoff spaces out the heavy retries; a light probe notices the server's return sooner.
      if (error.kind === 'unreachable') this.startProbing();
    }
    this.failures += 1;
    updateSyncState(this.db, {
      lastError: message,
      // Kept in the replica, so a restart does not take clinical entries that cannot be sent.
      ...(revoked ? { deviceRevokedAt: this.now().toISOString() } : {}),
    });
    const retryAfter = error instanceof TransportError ? error.retryAfterMs : null;
    this.schedule(retryAfter ?? backoffDelayMs(this.failures, { random: this.random }));
    this.emit();
    return { ok: false, pushed: 0, pulled: 0, error: message };
  }

  private markOnline(): void {
    this.online = true;
    this.deviceRevoked = false;
    this.stopProbing();
  }

  private startProbing(): void {
    if (!this.started || this.probeTimer) return;
    this.probeTimer = setInterval(() => {
      if (this.online !== false || this.running) return;
      // An answer reaches observedFetch, which marks the engine online and syncs at once.
      this.transport()
        ?.health()
        .catch(() => undefined);
    }, this.probeIntervalMs);
    this.probeTimer.unref();
  }

  private stopProbing(): void {
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
  }

  private setActivity(activity: SyncStatus['activity']): void {
    this.activity = activity;
    this.emit();
  }

  private schedule(delayMs: number): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.syncNow();
    }, delayMs);
    this.timer.unref();
  }

  private emit(): void {
    if (this.listeners.size === 0) return;
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }
}
